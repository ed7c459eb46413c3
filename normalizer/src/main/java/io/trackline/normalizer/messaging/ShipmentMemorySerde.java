package io.trackline.normalizer.messaging;

import io.trackline.normalizer.service.ShipmentMemory;
import io.trackline.normalizer.service.ShipmentMemory.Fact;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The state store's value ({@link ShipmentMemory}) in a compact binary form, also the changelog topic's value:
 * a version byte, the final-since millisecond, the facts (an event id is a UUID: 16 bytes; any other id as UTF-8),
 * each with its fingerprint and time, then per carrier field the codes by time. About 30 bytes per fact.
 */
public final class ShipmentMemorySerde implements Serde<ShipmentMemory> {

    static final byte VERSION = 1;
    private static final byte UUID_ID = 0;
    private static final byte TEXT_ID = 1;

    @Override
    public Serializer<ShipmentMemory> serializer() {
        return (topic, memory) -> memory == null ? null : write(memory);
    }

    @Override
    public Deserializer<ShipmentMemory> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(ShipmentMemory memory) {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(32 + memory.facts().size() * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(memory.finalSince());
            out.writeInt(memory.facts().size());
            for (Map.Entry<String, Fact> fact : memory.facts().entrySet()) {
                UUID uuid = uuidOrNull(fact.getKey());
                if (uuid != null) {
                    out.writeByte(UUID_ID);
                    out.writeLong(uuid.getMostSignificantBits());
                    out.writeLong(uuid.getLeastSignificantBits());
                } else {
                    out.writeByte(TEXT_ID);
                    out.writeUTF(fact.getKey());
                }
                out.writeInt(fact.getValue().fingerprint());
                out.writeLong(fact.getValue().occurredAt());
            }
            out.writeInt(memory.states().size());
            for (Map.Entry<String, TreeMap<Long, String>> field :
                    memory.states().entrySet()) {
                out.writeUTF(field.getKey());
                out.writeInt(field.getValue().size());
                for (Map.Entry<Long, String> code : field.getValue().entrySet()) {
                    out.writeLong(code.getKey());
                    out.writeUTF(code.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ShipmentMemory read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("shipment memory of unknown version " + version);
            }
            long finalSince = in.readLong();
            int factCount = in.readInt();
            Map<String, Fact> facts = new HashMap<>(Math.max(16, factCount * 2));
            for (int i = 0; i < factCount; i++) {
                byte kind = in.readByte();
                String id = kind == UUID_ID ? new UUID(in.readLong(), in.readLong()).toString() : in.readUTF();
                facts.put(id, new Fact(in.readInt(), in.readLong()));
            }
            int fieldCount = in.readInt();
            Map<String, TreeMap<Long, String>> states = new HashMap<>();
            for (int i = 0; i < fieldCount; i++) {
                String field = in.readUTF();
                int codeCount = in.readInt();
                TreeMap<Long, String> codes = new TreeMap<>();
                for (int j = 0; j < codeCount; j++) {
                    codes.put(in.readLong(), in.readUTF());
                }
                states.put(field, codes);
            }
            return new ShipmentMemory(facts, states, finalSince);
        } catch (IOException e) {
            throw new SerializationException("shipment memory cannot be read", e);
        }
    }

    /** The id as a UUID when its text is exactly the UUID's canonical (lower-case) form, so it reads back the same. */
    private static UUID uuidOrNull(String id) {
        if (id.length() != 36) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(id);
            return uuid.toString().equals(id) ? uuid : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
