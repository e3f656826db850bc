package org.civicgrid.open311;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.civicgrid.web.NotFoundException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.ObjectMapper;

/**
 * The two encodings of GeoReport v2, chosen by the resource's suffix: JSON, and XML written with the JDK's
 * StAX writer (which escapes text). Answers are plain maps and lists: a map is an element with children,
 * a list repeats its item element ({@code services → service}, {@code attributes → attribute}, …).
 */
enum Open311Format {
    JSON, XML;

    static final MediaType XML_TYPE = MediaType.parseMediaType("text/xml;charset=UTF-8");
    static final MediaType JSON_TYPE = MediaType.parseMediaType("application/json;charset=UTF-8");

    private static final Map<String, String> ITEM_NAMES = Map.of("services", "service", "service_requests", "request", "attributes", "attribute",
            "values", "value", "endpoints", "endpoint", "formats", "format", "errors", "error");

    static Open311Format of(String suffix) {
        return switch (suffix == null ? "" : suffix) {
            case "json" -> JSON;
            case "xml" -> XML;
            default -> throw new NotFoundException("format", "'" + suffix + "' (use .json or .xml)");
        };
    }

    /** The format a failed request asked for, read from its path; JSON when it cannot tell. */
    static Open311Format ofPath(String path) {
        return path != null && path.endsWith(".xml") ? XML : JSON;
    }

    /** {@code rootName} names the XML root; in JSON the body is written as it is. */
    ResponseEntity<byte[]> answer(HttpStatusCode status, String rootName, Object body, ObjectMapper json) {
        if (this == JSON) {
            return ResponseEntity.status(status).contentType(JSON_TYPE).body(json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
        }
        return ResponseEntity.status(status).contentType(XML_TYPE).body(xml(rootName, body).getBytes(StandardCharsets.UTF_8));
    }

    static String xml(String rootName, Object body) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            element(xml, rootName, body);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Could not write XML", e);
        }
        return out.toString();
    }

    private static void element(XMLStreamWriter xml, String name, Object value) throws XMLStreamException {
        xml.writeStartElement(name);
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                element(xml, String.valueOf(e.getKey()), e.getValue());
            }
        } else if (value instanceof List<?> list) {
            String item = ITEM_NAMES.getOrDefault(name, "item");
            for (Object v : list) {
                element(xml, item, v);
            }
        } else if (value != null) {
            xml.writeCharacters(String.valueOf(value));
        }
        xml.writeEndElement();
    }
}
