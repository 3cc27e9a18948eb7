package org.kafkatrain.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine runs from a plain main with only its own jars (the GPU bundle has no Kafka client, protobuf or Quarkus):
 * of contracts it uses the run's vocabulary and the benchmarks' figures, nothing that needs those.
 */
@AnalyzeClasses(packages = "org.kafkatrain.engine", importOptions = ImportOption.DoNotIncludeTests.class)
final class EngineIsKafkaFreeTest {
    @ArchTest
    static final ArchRule kafkaFree = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.apache.kafka..",
                    "com.google.protobuf..",
                    "io.quarkus..",
                    "jakarta..",
                    "org.kafkatrain.contracts.proto..",
                    "org.kafkatrain.contracts.security..");

    private EngineIsKafkaFreeTest() {}
}
