package org.kafkatrain.trainer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * trainer-service's packages in layers, no import running back up: the REST API over the runs; a run over its
 * replicas, the training loop, its listeners (events), the Kafka plumbing and the checkpoint store; the Kafka
 * plumbing over the data path, which knows nothing of Kafka clients or Quarkus.
 */
@AnalyzeClasses(packages = "org.kafkatrain.trainer", importOptions = ImportOption.DoNotIncludeTests.class)
final class LayeringTest {
    @ArchTest
    static final ArchRule noCycles =
            slices().matching("org.kafkatrain.trainer.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layers = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("api")
            .definedBy("..trainer.api..")
            .layer("run")
            .definedBy("..trainer.run..")
            .layer("events")
            .definedBy("..trainer.events..")
            .layer("kafka")
            .definedBy("..trainer.kafka..")
            .layer("loop")
            .definedBy("..trainer.loop..")
            .layer("data")
            .definedBy("..trainer.data..")
            .layer("store")
            .definedBy("..trainer.store..")
            .layer("config")
            .definedBy("..trainer.config..")
            .whereLayer("api")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("run")
            .mayOnlyBeAccessedByLayers("api")
            .whereLayer("events")
            .mayOnlyBeAccessedByLayers("run", "kafka")
            .whereLayer("kafka")
            .mayOnlyBeAccessedByLayers("run")
            .whereLayer("loop")
            .mayOnlyBeAccessedByLayers("run", "events", "kafka")
            .whereLayer("data")
            .mayOnlyBeAccessedByLayers("run", "loop", "kafka")
            .whereLayer("store")
            .mayOnlyBeAccessedByLayers("run", "loop", "events", "kafka")
            .whereLayer("config")
            .mayOnlyBeAccessedByLayers("api", "run", "kafka", "store");

    /** The data path decodes Kafka records, but reaches no broker and no framework: the kafka package does. */
    @ArchTest
    static final ArchRule dataPathIsPlainJava = noClasses()
            .that()
            .resideInAPackage("..trainer.data..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.apache.kafka.clients.admin..",
                    "org.apache.kafka.clients.producer..",
                    "jakarta.enterprise..",
                    "io.quarkus..",
                    "io.smallrye..")
            .orShould()
            .dependOnClassesThat()
            .haveFullyQualifiedName("org.apache.kafka.clients.consumer.KafkaConsumer");

    private LayeringTest() {}
}
