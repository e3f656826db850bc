package org.civicgrid.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * One connection to the primary (outside the pool) that LISTENs on the channels of the {@link Listener}s (filled by
 * V19's triggers) and hands them what arrives, on a daemon thread. After every (re)connect each listener reloads what
 * it keeps; while there is no connection each listener is told to stop serving from memory, since it would miss
 * changes.
 */
@Component
public class ChangeNotifications implements SmartLifecycle {

    /** Something kept in memory and refreshed by a channel's notifications. */
    public interface Listener {

        String channel();

        /** Now listening (on the listening thread, before any notification): reload everything, then serve from memory. */
        void listening(Connection connection) throws SQLException;

        void notified(String payload);

        /** Not listening any more: changes may be missed, so answer from the database until {@link #listening}. */
        void stopped();
    }

    private static final Logger log = LoggerFactory.getLogger(ChangeNotifications.class);
    private static final Pattern CHANNEL = Pattern.compile("[a-z_]+");
    static final String PING = "SELECT 1";
    /** How long one wait for notifications lasts; a silently broken connection is noticed by a ping after this. */
    static final int WAIT_MILLIS = 1000;
    static final long RETRY_MILLIS = 1000;

    private final DataSource dataSource;
    private final ObjectProvider<Listener> listenerProvider;
    private volatile boolean running;
    private volatile boolean listening;
    private volatile Thread thread;

    ChangeNotifications(DataSource dataSource, ObjectProvider<Listener> listeners) {
        this.dataSource = dataSource;
        this.listenerProvider = listeners;
    }

    /** True while notifications arrive (everything was reloaded since the last connect). */
    public boolean listening() {
        return listening;
    }

    /**
     * True when the current transaction may read from a replica, whose data can lag behind what the primary announced;
     * memory filled from notifications must not describe such reads.
     */
    public boolean readsMayLag() {
        return dataSource instanceof ReplicaRoutingDataSource && TransactionSynchronizationManager.isCurrentTransactionReadOnly();
    }

    /** True inside the session store's own work (its transactions read and write sessions, nothing else). */
    public static boolean inSessionStore() {
        return SessionStoreConfiguration.LenientSessionRepository.working();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        List<Listener> listeners = listenerProvider.orderedStream().toList();
        listeners.forEach(l -> {
            if (!CHANNEL.matcher(l.channel()).matches()) {
                throw new IllegalArgumentException("Not a channel name: " + l.channel());
            }
        });
        running = true;
        Thread listener = new Thread(() -> listen(listeners), "civicgrid-notifications");
        listener.setDaemon(true);
        thread = listener;
        listener.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread listener = thread;
        thread = null;
        if (listener != null) {
            try {
                listener.join(WAIT_MILLIS * 3L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started after the DataSource and Flyway, stopped before the pool closes. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }

    private void listen(List<Listener> listeners) {
        boolean warned = false;
        while (running) {
            try (Connection c = open()) {
                try (Statement statement = c.createStatement()) {
                    for (String channel : listeners.stream().map(Listener::channel).distinct().toList()) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                for (Listener l : listeners) {
                    l.listening(c);
                }
                listening = true;
                if (warned) {
                    log.info("Listening for changes again.");
                    warned = false;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    if (notifications == null || notifications.length == 0) {
                        try (Statement ping = c.createStatement()) {
                            ping.execute(PING);
                        }
                        continue;
                    }
                    for (PGNotification n : notifications) {
                        for (Listener l : listeners) {
                            if (l.channel().equals(n.getName())) {
                                l.notified(n.getParameter());
                            }
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running && !warned) {
                    log.warn("Not listening for changes (answering from the database meanwhile): {}", e.getMessage());
                    warned = true;
                }
            } finally {
                listening = false;
                listeners.forEach(Listener::stopped);
            }
            if (running) {
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Its own connection with the pool's settings: it is held for as long as the app runs. */
    private Connection open() throws SQLException {
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        Properties properties = new Properties();
        properties.putAll(pool.getDataSourceProperties());
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        properties.setProperty("ApplicationName", "civicgrid-notifications");
        Connection c = DriverManager.getConnection(pool.getJdbcUrl(), properties);
        c.setAutoCommit(true);
        return c;
    }
}
