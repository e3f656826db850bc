package org.civicgrid.users;

import java.util.Locale;

import org.civicgrid.web.InvalidParameterException;

/** At least 10 characters with letters and digits, and not the user name: simple rules people can follow. */
final class PasswordPolicy {

    static final int MIN_LENGTH = 10;

    private PasswordPolicy() {
    }

    static void check(String field, String password, String username) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new InvalidParameterException(field, "must have at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > 128) {
            throw new InvalidParameterException(field, "must have at most 128 characters");
        }
        if (password.chars().noneMatch(Character::isLetter) || password.chars().noneMatch(Character::isDigit)) {
            throw new InvalidParameterException(field, "must contain letters and digits");
        }
        if (username != null && password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
            throw new InvalidParameterException(field, "must not contain the user name");
        }
    }
}
