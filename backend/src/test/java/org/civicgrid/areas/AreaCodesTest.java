package org.civicgrid.areas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AreaCodesTest {

    @Test
    void aDistrictStreetCommunityOrGridCodeIsSixToFifteenDigitsInStepsOfThree() {
        assertThat(AreaCodes.isAreaCode("320508")).isTrue();
        assertThat(AreaCodes.isAreaCode("320508001")).isTrue();
        assertThat(AreaCodes.isAreaCode("320508001002")).isTrue();
        assertThat(AreaCodes.isAreaCode("320508001002003")).isTrue();
        assertThat(AreaCodes.levelOf("320508001")).isEqualTo("STREET");
        assertThat(AreaCodes.levelOf("320508001002003")).isEqualTo("GRID");
    }

    @Test
    void anythingElseIsNotAnAreaCode() {
        for (String notACode : new String[] {null, "", "32050", "3205080", "3205080010", "320508001002003004", "32050a",
                "３２０５０８", "320508 ", "-32050", "320508001002003\n"}) {
            assertThat(AreaCodes.isAreaCode(notACode)).as(String.valueOf(notACode)).isFalse();
        }
        assertThatThrownBy(() -> AreaCodes.levelOf("3205")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3205");
    }
}
