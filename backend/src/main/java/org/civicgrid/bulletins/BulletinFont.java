package org.civicgrid.bulletins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import com.lowagie.text.pdf.BaseFont;

/**
 * Finds the CJK font the PDF bulletin embeds. Tried in order: {@code civicgrid.bulletin.font} (a TTF/OTF file, or "file.ttc,index"),
 * the Simplified Chinese face (index 2) of Noto Sans CJK / Noto Serif CJK from the Debian package fonts-noto-cjk, other well-known
 * CJK fonts, then any TTF/TTC/OTF under /usr/share/fonts whose name suggests CJK and that has the glyphs "通报". Without one the PDF
 * answers 503 naming the package to install.
 */
@Component
class BulletinFont {

    static final String PACKAGE = "fonts-noto-cjk";
    static final URI FONT_MISSING = URI.create("urn:civicgrid:problem:font-missing");

    static final List<String> KNOWN = List.of(
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,2",
            "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc,2",
            "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc,2",
            "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc,2",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc,0",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc,0",
            "/usr/share/fonts/truetype/arphic/uming.ttc,0",
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf");

    private final String configured;
    private final List<String> known;
    private final List<Path> searchRoots;
    private volatile String found;

    @org.springframework.beans.factory.annotation.Autowired
    BulletinFont(@Value("${civicgrid.bulletin.font:}") String configured) {
        this(configured, KNOWN, List.of(Path.of("/usr/share/fonts"), Path.of("/usr/local/share/fonts")));
    }

    BulletinFont(String configured, List<String> known, List<Path> searchRoots) {
        this.configured = configured == null ? "" : configured.strip();
        this.known = known;
        this.searchRoots = searchRoots;
    }

    /** The embedded, Identity-H encoded font; 503 (problem JSON) when no CJK font is installed. */
    BaseFont font() {
        String spec = found;
        if (spec == null) {
            spec = locate().orElseThrow(this::missing);
            found = spec;
        }
        try {
            return BaseFont.createFont(spec, BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the bulletin font " + spec, e);
        } catch (com.lowagie.text.DocumentException e) {
            throw new IllegalStateException("Cannot use the bulletin font " + spec, e);
        }
    }

    /** The font spec ("path" or "path,index") that will be used, if any. */
    Optional<String> locate() {
        List<String> candidates = new ArrayList<>();
        if (!configured.isEmpty()) {
            candidates.add(configured);
        }
        candidates.addAll(known);
        for (String candidate : candidates) {
            if (usable(candidate)) {
                return Optional.of(candidate);
            }
        }
        for (Path root : searchRoots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root, 6)) {
                for (Path file : files.filter(BulletinFont::looksCjk).sorted().toList()) {
                    for (String candidate : faces(file)) {
                        if (usable(candidate)) {
                            return Optional.of(candidate);
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // an unreadable font directory is no font
            }
        }
        return Optional.empty();
    }

    private static boolean looksCjk(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return (name.endsWith(".ttf") || name.endsWith(".ttc") || name.endsWith(".otf"))
                && (name.contains("cjk") || name.contains("wqy") || name.contains("han") || name.contains("fallback") || name.contains("ming")
                || name.contains("kai") || name.contains("hei") || name.contains("song") || name.contains("sc"));
    }

    /** The faces of a collection, Simplified Chinese ones first; a single font file is its own face. */
    private static List<String> faces(Path file) {
        String path = file.toString();
        if (!path.toLowerCase(Locale.ROOT).endsWith(".ttc")) {
            return List.of(path);
        }
        try {
            String[] names = BaseFont.enumerateTTCNames(path);
            List<String> first = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                String n = names[i] == null ? "" : names[i];
                (n.contains("SC") || n.contains("GB") || n.toLowerCase(Locale.ROOT).contains("sc-") ? first : rest).add(path + "," + i);
            }
            first.addAll(rest);
            return first;
        } catch (Exception e) {
            return List.of();
        }
    }

    private static boolean usable(String spec) {
        String path = spec.replaceFirst(",\\d+$", "");
        if (!Files.isReadable(Path.of(path))) {
            return false;
        }
        try {
            BaseFont font = BaseFont.createFont(spec, BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
            return font.charExists('通') && font.charExists('报');
        } catch (Exception e) {
            return false;
        }
    }

    private ErrorResponseException missing() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "No CJK font is installed for the PDF bulletin: install the package " + PACKAGE + " (apt-get install " + PACKAGE
                        + "; ./civicgrid run installs it) or set civicgrid.bulletin.font to a TTF/OTF/TTC file with Chinese glyphs"
                        + (configured.isEmpty() ? "" : " (" + configured + " is not usable)") + ".");
        problem.setType(FONT_MISSING);
        problem.setTitle("PDF font missing");
        problem.setProperty("package", PACKAGE);
        return new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
    }
}
