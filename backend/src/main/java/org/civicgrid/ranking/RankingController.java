package org.civicgrid.ranking;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/** The weekly ranking and its weights; read by admins and leaders, weights changed by admins. */
@RestController
class RankingController {

    private final RankingService rankings;

    RankingController(RankingService rankings) {
        this.rankings = rankings;
    }

    static void requireReader(CurrentUser caller) {
        if (!(caller.has(Role.ADMIN) || caller.has(Role.LEADER))) {
            throw new AccessDeniedException("Rankings are for admins and leaders");
        }
    }

    @GetMapping("/api/rankings")
    @ReadOnlyWork
    WeeklyRanking ranking(CurrentUser caller, @RequestParam(required = false) String level, @RequestParam(required = false) String week,
                          @RequestParam(required = false) String within) {
        requireReader(caller);
        return rankings.ranking(caller.scope(), level, parseWeek(week), within);
    }

    @GetMapping("/api/rankings/weights")
    @ReadOnlyWork
    Map<String, Double> weights(CurrentUser caller) {
        requireReader(caller);
        return rankings.weights().asMap();
    }

    @PutMapping("/api/rankings/weights")
    Map<String, Double> saveWeights(CurrentUser caller, @RequestBody JsonNode body) {
        if (!caller.has(Role.ADMIN)) {
            throw new AccessDeniedException("Only admins change the ranking weights");
        }
        if (body == null || !body.isObject()) {
            throw new InvalidParameterException("body", "must be a JSON object of the five weights");
        }
        Map<String, Double> weights = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!RankingWeights.COMPONENTS.contains(entry.getKey())) {
                throw new InvalidParameterException(entry.getKey(), "is not a ranking component (" + String.join(", ", RankingWeights.COMPONENTS) + ")");
            }
            JsonNode value = entry.getValue();
            if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1) {
                throw new InvalidParameterException(entry.getKey(), "must be a number between 0 and 1");
            }
            weights.put(entry.getKey(), value.asDouble());
        }
        for (String component : RankingWeights.COMPONENTS) {
            if (!weights.containsKey(component)) {
                throw new InvalidParameterException(component, "is missing (every weight must be given)");
            }
        }
        double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(sum - 1) > 0.001) {
            throw new InvalidParameterException("weights", "must sum to 1 (they sum to " + Math.round(sum * 10000) / 10000.0 + ")");
        }
        return rankings.saveWeights(RankingWeights.of(weights)).asMap();
    }

    static LocalDate parseWeek(String week) {
        if (week == null || week.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(week.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException("week", "'" + week + "' is not a date YYYY-MM-DD");
        }
    }
}
