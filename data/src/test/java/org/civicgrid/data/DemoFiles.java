package org.civicgrid.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.json.simple.JSONObject;
import org.json.simple.parser.JSONParser;
import org.json.simple.parser.ParseException;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.geojson.GeoJsonReader;

/** Reads the generator's output files back for assertions. */
final class DemoFiles {

    record Feature(Map<?, ?> properties, Geometry geometry) {
        String text(String name) {
            Object value = properties.get(name);
            return value == null ? null : value.toString();
        }
    }

    private DemoFiles() {
    }

    static List<Feature> features(Path file) {
        try {
            List<Feature> features = new ArrayList<>();
            GeoJsonReader reader = new GeoJsonReader();
            JSONParser parser = new JSONParser();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.startsWith("{\"type\":\"Feature\"")) {
                    continue;
                }
                String json = line.endsWith(",") ? line.substring(0, line.length() - 1) : line;
                JSONObject feature = (JSONObject) parser.parse(json);
                Geometry geometry = reader.read(((JSONObject) feature.get("geometry")).toJSONString());
                features.add(new Feature((Map<?, ?>) feature.get("properties"), geometry));
            }
            return features;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException | org.locationtech.jts.io.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Map<String, String>> csv(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Csv.readTable(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
