package org.civicgrid.tiles;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a Mapbox Vector Tile (protobuf) far enough for tests: layer names, and each feature's id and
 * properties. Written from the MVT 2.1 specification; no geometry decoding.
 */
public final class MvtDecoder {

    public record Feature(long id, Map<String, Object> properties) {
    }

    private MvtDecoder() {
    }

    /** Layer name → its features. */
    public static Map<String, List<Feature>> decode(byte[] tile) {
        Map<String, List<Feature>> layers = new LinkedHashMap<>();
        Reader reader = new Reader(tile, 0, tile.length);
        while (reader.hasMore()) {
            int key = (int) reader.varint();
            if (key >>> 3 == 3 && (key & 7) == 2) {
                Reader layer = reader.message();
                decodeLayer(layer, layers);
            } else {
                reader.skip(key & 7);
            }
        }
        return layers;
    }

    private static void decodeLayer(Reader layer, Map<String, List<Feature>> layers) {
        String name = null;
        List<String> keys = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<long[]> featureIds = new ArrayList<>();
        List<List<Long>> featureTags = new ArrayList<>();
        while (layer.hasMore()) {
            int key = (int) layer.varint();
            int field = key >>> 3;
            if (field == 1) {
                name = layer.string();
            } else if (field == 2) {
                Reader feature = layer.message();
                long id = 0;
                List<Long> tags = new ArrayList<>();
                while (feature.hasMore()) {
                    int fkey = (int) feature.varint();
                    if (fkey >>> 3 == 1) {
                        id = feature.varint();
                    } else if (fkey >>> 3 == 2) {
                        Reader packed = feature.message();
                        while (packed.hasMore()) {
                            tags.add(packed.varint());
                        }
                    } else {
                        feature.skip(fkey & 7);
                    }
                }
                featureIds.add(new long[] {id});
                featureTags.add(tags);
            } else if (field == 3) {
                keys.add(layer.string());
            } else if (field == 4) {
                values.add(value(layer.message()));
            } else {
                layer.skip(key & 7);
            }
        }
        List<Feature> features = new ArrayList<>();
        for (int i = 0; i < featureIds.size(); i++) {
            Map<String, Object> properties = new LinkedHashMap<>();
            List<Long> tags = featureTags.get(i);
            for (int t = 0; t + 1 < tags.size(); t += 2) {
                properties.put(keys.get(tags.get(t).intValue()), values.get(tags.get(t + 1).intValue()));
            }
            features.add(new Feature(featureIds.get(i)[0], properties));
        }
        layers.put(name, features);
    }

    private static Object value(Reader value) {
        Object result = null;
        while (value.hasMore()) {
            int key = (int) value.varint();
            switch (key >>> 3) {
                case 1 -> result = value.string();
                case 2 -> result = Float.intBitsToFloat((int) value.fixed(4));
                case 3 -> result = Double.longBitsToDouble(value.fixed(8));
                case 4, 5 -> result = value.varint();
                case 6 -> {
                    long zigzag = value.varint();
                    result = (zigzag >>> 1) ^ -(zigzag & 1);
                }
                case 7 -> result = value.varint() != 0;
                default -> value.skip(key & 7);
            }
        }
        return result;
    }

    private static final class Reader {
        private final byte[] data;
        private int position;
        private final int end;

        Reader(byte[] data, int start, int end) {
            this.data = data;
            this.position = start;
            this.end = end;
        }

        boolean hasMore() {
            return position < end;
        }

        long varint() {
            long result = 0;
            int shift = 0;
            while (true) {
                byte b = data[position++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
                shift += 7;
            }
        }

        long fixed(int bytes) {
            long result = 0;
            for (int i = 0; i < bytes; i++) {
                result |= (long) (data[position++] & 0xFF) << (8 * i);
            }
            return result;
        }

        Reader message() {
            int length = (int) varint();
            Reader inner = new Reader(data, position, position + length);
            position += length;
            return inner;
        }

        String string() {
            int length = (int) varint();
            String text = new String(data, position, length, StandardCharsets.UTF_8);
            position += length;
            return text;
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> position += 8;
                case 2 -> position += (int) varint();
                case 5 -> position += 4;
                default -> throw new IllegalStateException("Unknown wire type " + wireType);
            }
        }
    }
}
