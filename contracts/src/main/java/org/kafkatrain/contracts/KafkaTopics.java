package org.kafkatrain.contracts;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates the topics a service needs with the settings they need (compaction, message size) before a client with
 * {@code auto.create.topics.enable} creates them with the broker's defaults.
 */
public final class KafkaTopics {
    private KafkaTopics() {}

    /**
     * Creates those of {@code topics} that do not exist; one that another client creates meanwhile counts as there.
     *
     * @return the names this call created
     */
    public static List<String> createMissing(Admin admin, Collection<NewTopic> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<String> created = new ArrayList<>();
        for (NewTopic topic : topics) {
            if (existing.contains(topic.name())) {
                continue;
            }
            try {
                admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                created.add(topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    /**
     * Sets {@code cleanup.policy=compact} on an existing topic that lacks it.
     *
     * @return whether the policy had to be changed
     */
    public static boolean makeCompacted(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(resource);
        ConfigEntry policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        if (policy != null && policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            return false;
        }
        admin.incrementalAlterConfigs(Map.of(
                        resource,
                        List.of(new AlterConfigOp(
                                new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
                                AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
        return true;
    }
}
