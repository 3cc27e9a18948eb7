package org.kafkatrain.metrics;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** metrics-stream's packages, its root package among them, import one another in one direction only. */
@AnalyzeClasses(packages = "org.kafkatrain.metrics", importOptions = ImportOption.DoNotIncludeTests.class)
final class PackageCyclesTest {
    @ArchTest
    static final ArchRule noCycles =
            slices().matching("org.kafkatrain.(**)").should().beFreeOfCycles();

    private PackageCyclesTest() {}
}
