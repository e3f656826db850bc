package org.civicgrid.campaign;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

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

/** The campaign countdown and phases (admins and leaders read, admins change) and the 问题清零 tracker. */
@RestController
class CampaignController {

    private final CampaignService campaigns;

    CampaignController(CampaignService campaigns) {
        this.campaigns = campaigns;
    }

    private static void requireReader(CurrentUser caller) {
        if (!(caller.has(Role.ADMIN) || caller.has(Role.LEADER))) {
            throw new AccessDeniedException("The campaign view is for admins and leaders");
        }
    }

    @GetMapping("/api/campaign")
    @ReadOnlyWork
    CampaignService.Campaign campaign(CurrentUser caller) {
        requireReader(caller);
        return campaigns.campaign();
    }

    /** Body: {"name","evaluationDate","phases":[{"code","nameZh","nameEn","startsOn","endsOn"}]}. */
    @PutMapping("/api/campaign")
    CampaignService.Campaign save(CurrentUser caller, @RequestBody JsonNode body) {
        if (!caller.has(Role.ADMIN)) {
            throw new AccessDeniedException("Only admins change the campaign");
        }
        if (body == null || !body.isObject()) {
            throw new InvalidParameterException("body", "must be a JSON object");
        }
        JsonNode phases = body.path("phases");
        if (!phases.isArray()) {
            throw new InvalidParameterException("phases", "must be a list of phases");
        }
        List<CampaignRepository.Phase> list = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            JsonNode p = phases.get(i);
            String field = "phases[" + i + "]";
            list.add(new CampaignRepository.Phase(text(p, "code"), text(p, "nameZh"), text(p, "nameEn"), date(p, "startsOn", field + ".startsOn"),
                    date(p, "endsOn", field + ".endsOn")));
        }
        return campaigns.save(text(body, "name"), date(body, "evaluationDate", "evaluationDate"), list);
    }

    @GetMapping("/api/campaign/clearance")
    @ReadOnlyWork
    CampaignService.Clearance clearance(CurrentUser caller, @RequestParam(required = false) String level,
                                        @RequestParam(required = false) String within) {
        requireReader(caller);
        return campaigns.clearance(caller.scope(), level, within);
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.path(name);
        return value.isString() ? value.asString() : null;
    }

    private static LocalDate date(JsonNode node, String name, String field) {
        String text = text(node, name);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(field, "'" + text + "' is not a date YYYY-MM-DD");
        }
    }
}
