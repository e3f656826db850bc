package org.civicgrid.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CallerScopeTest {

    @Test
    void aScopeOfSomeAreasMatchesTheirSubtreesOnly() {
        CallerScope street = new CallerScope(List.of("320508001", "320508003"), Optional.empty());
        assertThat(street.codePatterns()).isEqualTo("320508001%,320508003%");
        assertThat(street.covers("320508001002003")).isTrue();
        assertThat(street.covers("320508002001001")).isFalse();
    }

    @Test
    void theWholeCityCollapsesToOnePatternThatMatchesEverything() {
        CallerScope city = new CallerScope(List.of("320505", "320508"), Optional.empty(), true);
        assertThat(city.codePatterns()).isEqualTo("%");
        assertThat(city.covers("320599001001001")).isTrue();
        assertThat(city.key()).isNotEqualTo(new CallerScope(List.of("320505"), Optional.empty()).key());
    }
}
