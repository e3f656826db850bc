package org.civicgrid.bulletins;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

import org.civicgrid.database.ReadOnlyWork;
import org.civicgrid.photos.PhotoStore;
import org.civicgrid.security.CurrentUser;
import org.civicgrid.security.Role;
import org.civicgrid.web.InvalidParameterException;
import org.civicgrid.web.NotFoundException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import com.lowagie.text.pdf.BaseFont;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The weekly bulletin (一周一通报): {@code GET /api/bulletins/{week}?area=CODE&format=html|pdf|xlsx} for admins and leaders.
 * {@code week} is the Monday (YYYY-MM-DD) of a Monday–Sunday week in Asia/Shanghai; format defaults to html.
 */
@RestController
@ReadOnlyWork
class BulletinController {

    static final MediaType XLSX = MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final BulletinService bulletins;
    private final BulletinFont font;
    private final PhotoStore photos;

    BulletinController(BulletinService bulletins, BulletinFont font, PhotoStore photos) {
        this.bulletins = bulletins;
        this.font = font;
        this.photos = photos;
    }

    @GetMapping("/api/bulletins/{week}")
    ResponseEntity<byte[]> bulletin(CurrentUser caller, @PathVariable String week, @RequestParam(required = false) String area,
                                    @RequestParam(required = false) String format, HttpServletRequest request) {
        if (!(caller.has(Role.ADMIN) || caller.has(Role.LEADER))) {
            throw new AccessDeniedException("The weekly bulletin is for leaders and administrators");
        }
        LocalDate monday = monday(week);
        String kind = format == null || format.isBlank() ? "html" : format.strip().toLowerCase(Locale.ROOT);
        if (!kind.equals("html") && !kind.equals("pdf") && !kind.equals("xlsx")) {
            throw new InvalidParameterException("format", "'" + format + "' is not one of html, pdf, xlsx");
        }
        BaseFont pdfFont = kind.equals("pdf") ? font.font() : null; // 503 before any work when no CJK font is installed
        Bulletin b = bulletins.bulletin(caller.scope(), area, monday);
        byte[] body;
        MediaType type;
        switch (kind) {
            case "pdf" -> {
                body = BulletinPdf.render(b, pdfFont, id -> thumbnail(id, caller));
                type = MediaType.APPLICATION_PDF;
            }
            case "xlsx" -> {
                body = BulletinXlsx.render(b, ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
                type = XLSX;
            }
            default -> {
                body = BulletinHtml.render(b, request.getContextPath()).getBytes(StandardCharsets.UTF_8);
                type = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);
            }
        }
        return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noStore().cachePrivate())
                .header(HttpHeaders.CONTENT_DISPOSITION, disposition(kind.equals("xlsx") ? "attachment" : "inline", b.fileName(kind),
                        b.title() + "（" + b.week() + "）." + kind))
                .header("X-Content-Type-Options", "nosniff").body(body);
    }

    private byte[] thumbnail(UUID id, CurrentUser caller) {
        try {
            return photos.thumbnail(id, caller);
        } catch (NotFoundException e) {
            return null;
        }
    }

    /** The Monday of {@code week} given as YYYY-MM-DD; 400 naming {@code week} otherwise. */
    static LocalDate monday(String week) {
        if (week == null || !week.strip().matches("\\d{4}-\\d{2}-\\d{2}")) {
            throw new InvalidParameterException("week", "'" + week + "' is not a date YYYY-MM-DD (the Monday of the week)");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(week.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException("week", "'" + week + "' is not a date YYYY-MM-DD (the Monday of the week)");
        }
        if (date.getDayOfWeek() != DayOfWeek.MONDAY) {
            throw new InvalidParameterException("week", "'" + week + "' is a " + date.getDayOfWeek().toString().toLowerCase(Locale.ROOT)
                    + ", not a Monday (weeks start on Monday)");
        }
        return date;
    }

    /** RFC 6266: an ASCII filename and the UTF-8 filename* (RFC 5987) with the Chinese title. */
    static String disposition(String type, String asciiName, String utf8Name) {
        String encoded = URLEncoder.encode(utf8Name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
        return type + "; filename=\"" + asciiName + "\"; filename*=UTF-8''" + encoded;
    }
}
