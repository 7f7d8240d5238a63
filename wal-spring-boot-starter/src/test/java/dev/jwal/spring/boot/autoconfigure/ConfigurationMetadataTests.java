package dev.jwal.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The metadata the IDE shows: every wal.* property, with a description, and the policies' hints. */
class ConfigurationMetadataTests {

    @Test
    void everyPropertyIsDescribed() throws Exception {
        JsonNode metadata;
        try (InputStream in = WalProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            metadata = JsonMapper.builder().build().readTree(in);
        }
        Map<String, JsonNode> properties = new HashMap<>();
        for (JsonNode property : metadata.get("properties")) {
            properties.put(property.get("name").asString(), property);
        }
        assertThat(properties).containsKeys("wal.enabled", "wal.directory", "wal.name", "wal.segment-size",
                "wal.sync-policy", "wal.sync-interval", "wal.group-wait", "wal.group-max-bytes", "wal.preallocate", "wal.max-record-size",
                "wal.slow-sync-threshold", "wal.scrub-read-rate", "wal.metadata", "wal.repair-torn-tail", "wal.health.free-space-threshold",
                "management.health.wal.enabled");
        properties.forEach((name, property) -> {
            if (name.startsWith("wal.")) {
                assertThat(property.path("description").asString()).as(name).hasSizeGreaterThan(20);
            }
        });
        assertThat(properties.get("wal.segment-size").get("defaultValue").asString()).isEqualTo("64000000B");
        assertThat(properties.get("wal.sync-policy").get("defaultValue").asString()).isEqualTo("always");
        // Issue 37: the IDE showed no default for keep-segments (a constant of another class).
        assertThat(properties.get("wal.log.keep-segments").get("defaultValue").asInt())
                .isEqualTo(dev.jwal.core.log.WalLog.DEFAULT_KEEP_SEGMENTS);
        assertThat(properties.get("wal.caller-writes").get("defaultValue").asBoolean()).isTrue();
        List<String> policies = new ArrayList<>();
        for (JsonNode hint : metadata.get("hints")) {
            if (hint.get("name").asString().equals("wal.sync-policy")) {
                hint.get("values").forEach(value -> policies.add(value.get("value").asString()));
            }
        }
        assertThat(policies).containsExactlyInAnyOrder("always", "group", "interval", "none");
    }
}
