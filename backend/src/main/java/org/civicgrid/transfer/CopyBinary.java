package org.civicgrid.transfer;

import java.sql.SQLException;
import java.time.Instant;

import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary COPY format, written straight into a {@link CopyIn} in 1 MB chunks: no text to
 * quote and parse, geometries as EWKB (what geometry_recv reads), strings encoded to UTF-8 in place.
 */
final class CopyBinary {

    private static final int CHUNK = 1 << 20;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds since 1970. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int WKB_POINT_WITH_SRID = 0x20000001;

    private final CopyIn copy;
    /** Whether to ask after every chunk if the server has already refused the data (else only at the end). */
    private final boolean checked;
    private byte[] buffer = new byte[CHUNK + 64 * 1024];
    private int position;

    CopyBinary(CopyIn copy) {
        this(copy, false);
    }

    CopyBinary(CopyIn copy, boolean checked) {
        this.copy = copy;
        this.checked = checked;
        ensure(SIGNATURE.length + 8);
        System.arraycopy(SIGNATURE, 0, buffer, 0, SIGNATURE.length);
        position = SIGNATURE.length;
        putInt(0); // flags
        putInt(0); // header extension length
    }

    void startRow(int fields) {
        if (position >= CHUNK) {
            flush();
        }
        ensure(2);
        putShort(fields);
    }

    void int4(int value) {
        ensure(8);
        putInt(4);
        putInt(value);
    }

    void int8(long value) {
        ensure(12);
        putInt(8);
        putLong(value);
    }

    void float8(double value) {
        int8(Double.doubleToLongBits(value));
    }

    void bool(boolean value) {
        ensure(5);
        putInt(1);
        buffer[position++] = (byte) (value ? 1 : 0);
    }

    void nullValue() {
        ensure(4);
        putInt(-1);
    }

    void int8OrNull(long value, boolean isNull) {
        if (isNull) {
            nullValue();
        } else {
            int8(value);
        }
    }

    void timestamptz(Instant value) {
        if (value == null) {
            nullValue();
            return;
        }
        long micros = Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1000);
        int8(micros - PG_EPOCH_MICROS);
    }

    /** UTF-8 text; NUL characters are dropped (PostgreSQL text cannot hold them), lone surrogates become '?'. */
    void text(String value) {
        if (value == null) {
            nullValue();
            return;
        }
        int length = value.length();
        ensure(4 + length * 3);
        int start = position;
        position += 4;
        byte[] b = buffer;
        int p = position;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c != 0) {
                    b[p++] = (byte) c;
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                b[p++] = '?';
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        position = start;
        putInt(p - start - 4);
        position = p;
    }

    /** A point as little-endian EWKB with SRID 4326. */
    void point(double x, double y) {
        ensure(4 + 25);
        putInt(25);
        buffer[position++] = 1;
        putIntLittle(WKB_POINT_WITH_SRID);
        putIntLittle(4326);
        putLongLittle(Double.doubleToLongBits(x));
        putLongLittle(Double.doubleToLongBits(y));
    }

    /** Any other geometry, already as EWKB. */
    void bytes(byte[] value) {
        ensure(4 + value.length);
        putInt(value.length);
        System.arraycopy(value, 0, buffer, position, value.length);
        position += value.length;
    }

    /** Writes the trailer and hands the last chunk over; the caller ends the COPY. */
    void finish() {
        ensure(2);
        putShort(-1);
        flush();
    }

    void flush() {
        if (position == 0) {
            return;
        }
        try {
            copy.writeToCopy(buffer, 0, position);
            if (checked) {
                copy.flushCopy();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Copying the import into the staging table failed: " + e.getMessage(), e);
        }
        position = 0;
    }

    private void ensure(int bytes) {
        if (position + bytes > buffer.length) {
            if (position > 0 && bytes <= buffer.length) {
                flush();
            } else {
                byte[] larger = new byte[Math.max(buffer.length * 2, position + bytes)];
                System.arraycopy(buffer, 0, larger, 0, position);
                buffer = larger;
            }
        }
    }

    private void putShort(int value) {
        buffer[position++] = (byte) (value >> 8);
        buffer[position++] = (byte) value;
    }

    private void putInt(int value) {
        buffer[position++] = (byte) (value >> 24);
        buffer[position++] = (byte) (value >> 16);
        buffer[position++] = (byte) (value >> 8);
        buffer[position++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >> 32));
        putInt((int) value);
    }

    private void putIntLittle(int value) {
        buffer[position++] = (byte) value;
        buffer[position++] = (byte) (value >> 8);
        buffer[position++] = (byte) (value >> 16);
        buffer[position++] = (byte) (value >> 24);
    }

    private void putLongLittle(long value) {
        putIntLittle((int) value);
        putIntLittle((int) (value >> 32));
    }
}
