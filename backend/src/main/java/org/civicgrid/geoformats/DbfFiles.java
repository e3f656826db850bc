package org.civicgrid.geoformats;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * dBASE III tables (a shapefile's .dbf): field types C (text), N and F (numbers), L (logical) and D (date).
 * Text is decoded with the .cpg's code page, else as UTF-8 when every byte is valid UTF-8, else as GBK (the
 * usual encoding of shapefiles made on Chinese Windows; language driver 0x4D says so explicitly).
 */
final class DbfFiles {

    private static final Charset GBK = Charset.forName("GBK");
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;

    private DbfFiles() {
    }

    record Field(String name, char type, int length, int decimals, int offset) {
    }

    /** The records (null for a deleted record), each a map of field name → Java value. */
    static List<Map<String, Object>> read(byte[] dbf, byte[] cpg) {
        if (dbf.length < 32) {
            throw new GeoFileException("the .dbf is truncated: " + dbf.length + " bytes, shorter than its header");
        }
        ByteBuffer b = ByteBuffer.wrap(dbf).order(ByteOrder.LITTLE_ENDIAN);
        long records = Integer.toUnsignedLong(b.getInt(4));
        int headerLength = Short.toUnsignedInt(b.getShort(8));
        int recordLength = Short.toUnsignedInt(b.getShort(10));
        int languageDriver = dbf[29] & 0xFF;
        GeoFiles.checkFeatureCount(records);
        if (headerLength < 33 || headerLength > dbf.length) {
            throw new GeoFileException("the .dbf header is damaged (header length " + headerLength + ")");
        }
        if ((long) headerLength + records * recordLength > dbf.length) {
            throw new GeoFileException("the .dbf is truncated: " + records + " records of " + recordLength
                    + " bytes need " + ((long) headerLength + records * recordLength) + " bytes but it has " + dbf.length);
        }
        List<byte[]> rawNames = new ArrayList<>();
        List<Field> raw = new ArrayList<>();
        int offset = 1;
        for (int p = 32; p + 32 <= headerLength && dbf[p] != 0x0D; p += 32) {
            int nameEnd = p;
            while (nameEnd < p + 11 && dbf[nameEnd] != 0) {
                nameEnd++;
            }
            rawNames.add(java.util.Arrays.copyOfRange(dbf, p, nameEnd));
            char type = (char) (dbf[p + 11] & 0xFF);
            int length = dbf[p + 16] & 0xFF;
            int decimals = dbf[p + 17] & 0xFF;
            raw.add(new Field(null, Character.toUpperCase(type), length, decimals, offset));
            offset += length;
        }
        if (offset > recordLength) {
            throw new GeoFileException("the .dbf header is damaged: its fields need " + offset
                    + " bytes per record, records have " + recordLength);
        }
        Charset charset = charset(dbf, cpg, languageDriver, headerLength, records, recordLength, raw);
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Field f = raw.get(i);
            fields.add(new Field(new String(rawNames.get(i), charset).strip(), f.type, f.length, f.decimals, f.offset));
        }
        List<Map<String, Object>> rows = new ArrayList<>((int) records);
        for (int r = 0; r < records; r++) {
            int start = headerLength + r * recordLength;
            if (dbf[start] == '*') {
                rows.add(null);
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (Field f : fields) {
                row.put(f.name, value(f, new String(dbf, start + f.offset, f.length, charset)));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Charset charset(byte[] dbf, byte[] cpg, int languageDriver, int headerLength, long records,
            int recordLength, List<Field> fields) {
        if (cpg != null) {
            String name = new String(cpg, StandardCharsets.US_ASCII).strip().toUpperCase(Locale.ROOT);
            if (name.matches("\\d+")) {
                name = switch (name) {
                    case "936" -> "GBK";
                    case "65001" -> "UTF-8";
                    case "950" -> "Big5";
                    default -> "windows-" + name;
                };
            } else if (name.startsWith("ANSI ")) {
                name = "windows-" + name.substring(5).strip();
            } else if (name.equals("UTF8")) {
                name = "UTF-8";
            }
            try {
                return Charset.forName(name);
            } catch (RuntimeException unknown) {
                throw new GeoFileException("the .cpg names an unknown encoding '" + name + "'");
            }
        }
        if (languageDriver == 0x4D) {
            return GBK;
        }
        // No .cpg: valid UTF-8 everywhere (names and text fields) means UTF-8, else GBK.
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            utf8.decode(ByteBuffer.wrap(dbf, 32, headerLength - 32));
            for (int r = 0; r < records; r++) {
                int start = headerLength + r * recordLength;
                for (Field f : fields) {
                    if (f.type == 'C') {
                        utf8.reset();
                        CharBuffer ignored = utf8.decode(ByteBuffer.wrap(dbf, start + f.offset, f.length));
                    }
                }
            }
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException notUtf8) {
            return GBK;
        }
    }

    private static Object value(Field f, String text) {
        String s = f.type == 'C' ? stripTrailing(text) : text.strip();
        switch (f.type) {
            case 'C':
                return s.isEmpty() ? null : s;
            case 'N':
            case 'F':
                if (s.isEmpty() || s.chars().allMatch(c -> c == '*') || s.equals(".")) {
                    return null;
                }
                try {
                    if (f.decimals == 0 && !s.contains(".") && !s.contains("e") && !s.contains("E")) {
                        BigInteger i = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
                        return i.bitLength() < 64 ? (Object) i.longValue() : new BigDecimal(i);
                    }
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return s;
                }
            case 'L':
                return switch (s.isEmpty() ? '?' : Character.toUpperCase(s.charAt(0))) {
                    case 'Y', 'T' -> Boolean.TRUE;
                    case 'N', 'F' -> Boolean.FALSE;
                    default -> null;
                };
            case 'D':
                if (s.isEmpty() || s.equals("00000000")) {
                    return null;
                }
                try {
                    return LocalDate.parse(s, YYYYMMDD);
                } catch (DateTimeParseException e) {
                    return s;
                }
            default:
                return s.isEmpty() ? null : s;
        }
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end);
    }

    // ---- writing

    private record Column(String property, String name, char type, int length, int decimals) {
    }

    static byte[] write(List<GeoFeature> features, Charset charset) {
        List<Column> columns = columns(features, charset);
        int recordLength = 1 + columns.stream().mapToInt(Column::length).sum();
        if (columns.size() > 255 || recordLength > 65535) {
            throw new GeoFileException("too many or too long attributes for a shapefile (" + columns.size()
                    + " fields, " + recordLength + " bytes per record)");
        }
        int headerLength = 32 + 32 * columns.size() + 1;
        ByteBuffer b = ByteBuffer.allocate(headerLength + recordLength * features.size() + 1).order(ByteOrder.LITTLE_ENDIAN);
        LocalDate today = LocalDate.now();
        b.put((byte) 0x03).put((byte) (today.getYear() - 1900)).put((byte) today.getMonthValue()).put((byte) today.getDayOfMonth());
        b.putInt(features.size()).putShort((short) headerLength).putShort((short) recordLength);
        b.position(32);
        for (Column c : columns) {
            byte[] name = c.name.getBytes(charset);
            b.put(name).put(new byte[11 - name.length]);
            b.put((byte) c.type).putInt(0).put((byte) c.length).put((byte) c.decimals).put(new byte[14]);
        }
        b.put((byte) 0x0D);
        int number = 0;
        for (GeoFeature f : features) {
            number++;
            b.put((byte) ' ');
            for (Column c : columns) {
                Object v = c.property == null ? (Object) (long) number : f.properties().get(c.property);
                b.put(cell(c, v, charset));
            }
        }
        b.put((byte) 0x1A);
        return b.array();
    }

    private static byte[] cell(Column c, Object v, Charset charset) {
        byte[] out = new byte[c.length];
        java.util.Arrays.fill(out, (byte) ' ');
        String text = format(c, v);
        if (text == null) {
            return out;
        }
        byte[] bytes = truncate(text, charset, c.length);
        if (c.type == 'N') {
            System.arraycopy(bytes, 0, out, c.length - bytes.length, bytes.length); // numbers right-aligned
        } else {
            System.arraycopy(bytes, 0, out, 0, bytes.length);
        }
        return out;
    }

    private static String format(Column c, Object v) {
        if (v == null) {
            return null;
        }
        return switch (c.type) {
            case 'N' -> {
                BigDecimal d = decimal(v);
                yield d == null ? null : d.setScale(c.decimals, RoundingMode.HALF_EVEN).toPlainString();
            }
            case 'L' -> (Boolean) v ? "T" : "F";
            case 'D' -> ((LocalDate) v).format(YYYYMMDD);
            default -> v.toString();
        };
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        double d = ((Number) v).doubleValue();
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }

    /** The bytes of the text, cut at a character boundary to fit {@code max}. */
    private static byte[] truncate(String text, Charset charset, int max) {
        byte[] bytes = text.getBytes(charset);
        int end = text.length();
        while (bytes.length > max) {
            end--;
            if (end > 0 && Character.isLowSurrogate(text.charAt(end))) {
                end--;
            }
            bytes = text.substring(0, end).getBytes(charset);
        }
        return bytes;
    }

    private static List<Column> columns(List<GeoFeature> features, Charset charset) {
        Map<String, List<Object>> values = new LinkedHashMap<>();
        for (GeoFeature f : features) {
            for (Map.Entry<String, Object> p : f.properties().entrySet()) {
                values.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(p.getValue());
            }
        }
        List<Column> columns = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        if (values.isEmpty()) {
            columns.add(new Column(null, "FID", 'N', 10, 0)); // dBASE wants a field; GDAL adds the same
            return columns;
        }
        for (Map.Entry<String, List<Object>> e : values.entrySet()) {
            String name = uniqueName(e.getKey(), taken, charset);
            List<Object> present = e.getValue().stream().filter(v -> v != null
                    && !(v instanceof Double d && !Double.isFinite(d))).toList();
            if (!present.isEmpty() && present.stream().allMatch(v -> v instanceof Boolean)) {
                columns.add(new Column(e.getKey(), name, 'L', 1, 0));
            } else if (!present.isEmpty() && present.stream().allMatch(v -> v instanceof LocalDate)) {
                columns.add(new Column(e.getKey(), name, 'D', 8, 0));
            } else if (!present.isEmpty() && present.stream().allMatch(v -> v instanceof Number)) {
                boolean integral = present.stream().allMatch(v -> v instanceof Long || v instanceof Integer
                        || v instanceof Short || v instanceof Byte || v instanceof BigInteger);
                int decimals = 0;
                if (!integral) {
                    boolean allDecimal = present.stream().allMatch(v -> !(v instanceof Double || v instanceof Float));
                    decimals = allDecimal ? present.stream().mapToInt(v -> Math.max(0, decimal(v).scale())).max().orElse(0)
                            : 15;
                    decimals = Math.max(1, Math.min(decimals, 15));
                }
                int d = decimals;
                int width = present.stream().mapToInt(v -> decimal(v).setScale(d, RoundingMode.HALF_EVEN)
                        .toPlainString().length()).max().orElse(1);
                if (width > 254) {
                    columns.add(new Column(e.getKey(), name, 'C', 254, 0));
                } else {
                    columns.add(new Column(e.getKey(), name, 'N', Math.max(width, integral ? 10 : 24), decimals));
                }
            } else {
                int width = present.stream().mapToInt(v -> v.toString().getBytes(charset).length).max().orElse(1);
                columns.add(new Column(e.getKey(), name, 'C', Math.max(1, Math.min(254, width)), 0));
            }
        }
        return columns;
    }

    /** At most 10 bytes, unique (case-insensitively): "population_2020" → "population", then "populati_1". */
    private static String uniqueName(String property, Set<String> taken, Charset charset) {
        String base = new String(truncate(property.isBlank() ? "field" : property, charset, 10), charset);
        String name = base;
        for (int i = 1; !taken.add(name.toUpperCase(Locale.ROOT)); i++) {
            String suffix = "_" + i;
            name = new String(truncate(base, charset, 10 - suffix.length()), charset) + suffix;
        }
        return name;
    }
}
