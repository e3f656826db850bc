package org.civicgrid.loadtest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The load test's own connection to the primary, made again after the primary's restart cut it. */
final class Database implements AutoCloseable {

    private final String url;
    private final String user;
    private final String password;
    private Connection connection;

    Database(String url, String user, String password) {
        this.url = url + (url.contains("?") ? "&" : "?") + "ApplicationName=civicgrid-loadtest";
        this.user = user;
        this.password = password;
    }

    synchronized Connection get() throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // already broken
                }
            }
            SQLException last = null;
            for (int attempt = 0; attempt < 60; attempt++) {
                try {
                    connection = DriverManager.getConnection(url, user, password);
                    return connection;
                } catch (SQLException e) {
                    last = e;
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
            throw last;
        }
        return connection;
    }

    @Override
    public synchronized void close() throws SQLException {
        if (connection != null) {
            connection.close();
        }
    }
}
