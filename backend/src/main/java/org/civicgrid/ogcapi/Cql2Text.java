package org.civicgrid.ogcapi;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.civicgrid.web.InvalidParameterException;

/**
 * A CQL2-text filter (Basic CQL2: comparisons, AND/OR/NOT, LIKE, IN, BETWEEN, IS NULL, DATE and TIMESTAMP
 * literals) turned into a SQL condition. Property names are looked up in the collection's fixed list and
 * replaced by their SQL expression; every literal becomes a bound parameter, never SQL text. A filter that
 * cannot be read is refused with 400 naming the position (1-based character) where reading stopped.
 */
final class Cql2Text {

    static final String PARAMETER = "filter";

    /** The condition and the parameters it binds (:cql0, :cql1, …). */
    record Condition(String sql, Map<String, Object> params) {
    }

    private enum Kind { IDENT, QUOTED_IDENT, STRING, NUMBER, OP, LPAREN, RPAREN, COMMA, END }

    private record Token(Kind kind, String text, int position) {
    }

    /** A value in the expression: a property (SQL expression) or a bound literal, with its type. */
    private record Operand(String sql, FeatureSource.Type type, boolean literal, LocalDate date, int position) {
    }

    private final FeatureSource source;
    private final ZoneId zone;
    private final List<Token> tokens;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private int index;

    private Cql2Text(String text, FeatureSource source, ZoneId zone) {
        this.source = source;
        this.zone = zone;
        this.tokens = tokenize(text);
    }

    static Condition parse(String text, FeatureSource source, ZoneId zone) {
        if (text == null || text.isBlank()) {
            throw new InvalidParameterException(PARAMETER, "is empty");
        }
        if (text.length() > 4000) {
            throw new InvalidParameterException(PARAMETER, "is longer than 4000 characters");
        }
        Cql2Text parser = new Cql2Text(text, source, zone);
        String sql = parser.orExpression(0);
        Token rest = parser.peek();
        if (rest.kind != Kind.END) {
            throw parser.error(rest, "unexpected '" + rest.text + "' after a complete condition");
        }
        return new Condition("(" + sql + ")", parser.params);
    }

    private String orExpression(int depth) {
        if (depth > 50) {
            throw error(peek(), "the filter nests too deeply");
        }
        List<String> parts = new ArrayList<>();
        parts.add(andExpression(depth));
        while (keyword("OR")) {
            index++;
            parts.add(andExpression(depth));
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" OR ", parts) + ")";
    }

    private String andExpression(int depth) {
        List<String> parts = new ArrayList<>();
        parts.add(notExpression(depth));
        while (keyword("AND")) {
            index++;
            parts.add(notExpression(depth));
        }
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" AND ", parts) + ")";
    }

    private String notExpression(int depth) {
        if (keyword("NOT")) {
            index++;
            return "(NOT " + notExpression(depth + 1) + ")";
        }
        return primary(depth);
    }

    private String primary(int depth) {
        Token t = peek();
        if (t.kind == Kind.LPAREN) {
            index++;
            String inner = orExpression(depth + 1);
            expect(Kind.RPAREN, "')'");
            return "(" + inner + ")";
        }
        if (keyword("TRUE") || keyword("FALSE")) {
            return next().text.toUpperCase(Locale.ROOT);
        }
        return predicate();
    }

    private String predicate() {
        Operand left = operand();
        Token op = peek();
        boolean negated = false;
        if (keyword("NOT")) {
            index++;
            negated = true;
            op = peek();
        }
        if (keyword("LIKE")) {
            index++;
            Operand pattern = operand();
            requireType(left, FeatureSource.Type.STRING, "LIKE");
            requireType(pattern, FeatureSource.Type.STRING, "LIKE");
            return "(" + left.sql + (negated ? " NOT LIKE " : " LIKE ") + pattern.sql + ")";
        }
        if (keyword("IN")) {
            index++;
            expect(Kind.LPAREN, "'(' after IN");
            List<String> values = new ArrayList<>();
            do {
                Operand value = operand();
                values.add(comparable(left, value, "IN").sql);
            } while (peek().kind == Kind.COMMA && next() != null);
            expect(Kind.RPAREN, "')' closing the IN list");
            return "(" + left.sql + (negated ? " NOT IN (" : " IN (") + String.join(", ", values) + "))";
        }
        if (keyword("BETWEEN")) {
            index++;
            Operand low = operand();
            if (!keyword("AND")) {
                throw error(peek(), "expected AND in BETWEEN … AND …");
            }
            index++;
            Operand high = operand();
            return "(" + left.sql + (negated ? " NOT BETWEEN " : " BETWEEN ") + comparable(left, low, "BETWEEN").sql + " AND "
                    + comparable(left, high, "BETWEEN").sql + ")";
        }
        if (negated) {
            throw error(op, "expected LIKE, IN or BETWEEN after NOT");
        }
        if (keyword("IS")) {
            index++;
            boolean not = false;
            if (keyword("NOT")) {
                index++;
                not = true;
            }
            if (!keyword("NULL")) {
                throw error(peek(), "expected NULL after IS");
            }
            index++;
            if (left.literal) {
                throw error(op, "IS NULL needs a property on its left");
            }
            return "(" + left.sql + (not ? " IS NOT NULL)" : " IS NULL)");
        }
        if (op.kind != Kind.OP) {
            throw error(op, op.kind == Kind.END ? "the condition ends early: expected a comparison operator"
                    : "expected a comparison operator (=, <>, <, <=, >, >=), LIKE, IN, BETWEEN or IS, got '" + op.text + "'");
        }
        index++;
        Operand right = operand();
        if (left.literal && !right.literal) {
            left = comparable(right, left, op.text);
        } else {
            right = comparable(left, right, op.text);
        }
        return "(" + left.sql + " " + op.text + " " + right.sql + ")";
    }

    private Operand operand() {
        Token t = next();
        switch (t.kind) {
            case STRING -> {
                return bind(t.text, FeatureSource.Type.STRING, null, t.position);
            }
            case NUMBER -> {
                try {
                    return bind(new BigDecimal(t.text), FeatureSource.Type.INTEGER, null, t.position);
                } catch (NumberFormatException e) {
                    throw error(t, "'" + t.text + "' is not a number");
                }
            }
            case QUOTED_IDENT -> {
                return property(t);
            }
            case IDENT -> {
                String word = t.text.toUpperCase(Locale.ROOT);
                if ((word.equals("DATE") || word.equals("TIMESTAMP")) && peek().kind == Kind.LPAREN) {
                    expect(Kind.LPAREN, "'('");
                    Token value = next();
                    if (value.kind != Kind.STRING) {
                        throw error(value, word + "(…) needs a quoted value such as " + word + "('2026-11-01" + (word.equals("DATE") ? "" : "T00:00:00Z") + "')");
                    }
                    expect(Kind.RPAREN, "')'");
                    return temporal(word, value);
                }
                return property(t);
            }
            default -> throw error(t, t.kind == Kind.END ? "the filter ends early: expected a property or a value"
                    : "expected a property or a value, got '" + t.text + "'");
        }
    }

    private Operand temporal(String word, Token value) {
        try {
            if (word.equals("DATE")) {
                LocalDate date = LocalDate.parse(value.text);
                return bind(java.sql.Date.valueOf(date), FeatureSource.Type.DATE, date, value.position);
            }
            Instant instant = OffsetDateTime.parse(value.text).toInstant();
            return bind(Timestamp.from(instant), FeatureSource.Type.TIMESTAMP, null, value.position);
        } catch (DateTimeParseException e) {
            throw error(value, "'" + value.text + "' is not a " + (word.equals("DATE") ? "date YYYY-MM-DD" : "timestamp such as 2026-11-01T08:00:00Z"));
        }
    }

    private Operand property(Token t) {
        FeatureSource.Property p = source.property(t.text).orElseThrow(() -> error(t, "'" + t.text + "' is not a queryable of this collection; queryables: "
                + String.join(", ", source.properties.stream().map(FeatureSource.Property::name).toList())));
        return new Operand(p.sql(), p.type(), false, null, t.position);
    }

    private Operand bind(Object value, FeatureSource.Type type, LocalDate date, int position) {
        String name = "cql" + params.size();
        params.put(name, value);
        return new Operand(":" + name, type, true, date, position);
    }

    /**
     * The right operand as comparable with the left: same type, numbers with integers, and a DATE literal
     * against a timestamp property becomes the start of that day in the city's time zone.
     */
    private Operand comparable(Operand left, Operand right, String operator) {
        FeatureSource.Type l = left.type;
        FeatureSource.Type r = right.type;
        if (l == r) {
            return right;
        }
        if (l == FeatureSource.Type.TIMESTAMP && r == FeatureSource.Type.DATE && right.literal) {
            String name = right.sql.substring(1);
            params.put(name, Timestamp.from(right.date.atStartOfDay(zone).toInstant()));
            return new Operand(right.sql, FeatureSource.Type.TIMESTAMP, true, null, right.position);
        }
        if (l == FeatureSource.Type.DATE && r == FeatureSource.Type.TIMESTAMP && right.literal) {
            return new Operand("CAST(" + right.sql + " AS date)", FeatureSource.Type.DATE, true, null, right.position);
        }
        if (left.literal && right.literal) {
            return right;
        }
        throw new InvalidParameterException(PARAMETER, "at position " + right.position + ": cannot compare " + describe(l) + " with "
                + describe(r) + " in " + operator);
    }

    private void requireType(Operand operand, FeatureSource.Type type, String operator) {
        if (operand.type != type) {
            throw new InvalidParameterException(PARAMETER, "at position " + operand.position + ": " + operator + " needs " + describe(type)
                    + ", not " + describe(operand.type));
        }
    }

    private static String describe(FeatureSource.Type type) {
        return switch (type) {
            case STRING -> "text";
            case INTEGER -> "a number";
            case DATE -> "a date (DATE('…'))";
            case TIMESTAMP -> "a timestamp (TIMESTAMP('…'))";
        };
    }

    // ---- tokens ----

    private boolean keyword(String word) {
        Token t = peek();
        return t.kind == Kind.IDENT && t.text.equalsIgnoreCase(word);
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind != Kind.END) {
            index++;
        }
        return t;
    }

    private void expect(Kind kind, String what) {
        Token t = next();
        if (t.kind != kind) {
            throw error(t, "expected " + what + (t.kind == Kind.END ? " but the filter ends" : ", got '" + t.text + "'"));
        }
    }

    private InvalidParameterException error(Token at, String message) {
        return new InvalidParameterException(PARAMETER, "at position " + at.position + ": " + message);
    }

    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int position = i + 1;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                StringBuilder value = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new InvalidParameterException(PARAMETER, "at position " + position + ": the quoted text is not closed");
                    }
                    char d = text.charAt(i);
                    if (d == '\'') {
                        if (i + 1 < n && text.charAt(i + 1) == '\'') {
                            value.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(d);
                    i++;
                }
                tokens.add(new Token(Kind.STRING, value.toString(), position));
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw new InvalidParameterException(PARAMETER, "at position " + position + ": the quoted property name is not closed");
                }
                tokens.add(new Token(Kind.QUOTED_IDENT, text.substring(i + 1, end), position));
                i = end + 1;
            } else if (Character.isDigit(c) || ((c == '-' || c == '+' || c == '.') && i + 1 < n
                    && (Character.isDigit(text.charAt(i + 1)) || text.charAt(i + 1) == '.'))) {
                int start = i;
                i++;
                while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.' || text.charAt(i) == 'e' || text.charAt(i) == 'E'
                        || ((text.charAt(i) == '-' || text.charAt(i) == '+') && (text.charAt(i - 1) == 'e' || text.charAt(i - 1) == 'E')))) {
                    i++;
                }
                tokens.add(new Token(Kind.NUMBER, text.substring(start, i), position));
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '.' || text.charAt(i) == ':')) {
                    i++;
                }
                tokens.add(new Token(Kind.IDENT, text.substring(start, i), position));
            } else if (c == '(') {
                tokens.add(new Token(Kind.LPAREN, "(", position));
                i++;
            } else if (c == ')') {
                tokens.add(new Token(Kind.RPAREN, ")", position));
                i++;
            } else if (c == ',') {
                tokens.add(new Token(Kind.COMMA, ",", position));
                i++;
            } else if (c == '=' ) {
                tokens.add(new Token(Kind.OP, "=", position));
                i++;
            } else if (c == '<' || c == '>') {
                String op = String.valueOf(c);
                if (i + 1 < n && (text.charAt(i + 1) == '=' || (c == '<' && text.charAt(i + 1) == '>'))) {
                    op += text.charAt(i + 1);
                }
                tokens.add(new Token(Kind.OP, op, position));
                i += op.length();
            } else {
                throw new InvalidParameterException(PARAMETER, "at position " + position + ": unexpected character '" + c + "'");
            }
        }
        tokens.add(new Token(Kind.END, "", n + 1));
        return tokens;
    }
}
