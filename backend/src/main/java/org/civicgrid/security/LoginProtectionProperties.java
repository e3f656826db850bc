package org.civicgrid.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Failed sign-ins first slow down (from {@code slowdownAfter} failures on, a growing pause up to
 * {@code slowdownMax}), then lock the account for {@code lockDuration} at {@code maxFailures}.
 */
@ConfigurationProperties("civicgrid.security.login")
public record LoginProtectionProperties(Integer maxFailures, Duration lockDuration, Integer slowdownAfter, Duration slowdownStep,
                                        Duration slowdownMax) {

    public LoginProtectionProperties {
        maxFailures = maxFailures == null ? 5 : maxFailures;
        lockDuration = lockDuration == null ? Duration.ofMinutes(15) : lockDuration;
        slowdownAfter = slowdownAfter == null ? 3 : slowdownAfter;
        slowdownStep = slowdownStep == null ? Duration.ofSeconds(1) : slowdownStep;
        slowdownMax = slowdownMax == null ? Duration.ofSeconds(5) : slowdownMax;
    }

    Duration pauseAfter(int failures) {
        if (failures < slowdownAfter) {
            return Duration.ZERO;
        }
        Duration pause = slowdownStep.multipliedBy(failures - slowdownAfter + 1L);
        return pause.compareTo(slowdownMax) > 0 ? slowdownMax : pause;
    }
}
