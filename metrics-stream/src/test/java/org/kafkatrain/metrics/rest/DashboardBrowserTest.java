package org.kafkatrain.metrics.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kafkatrain.metrics.StepEvents;
import org.kafkatrain.testing.LocalStackResource;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

/**
 * The dashboard in headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs): the page
 * loads, subscribes to a run, its charts (ECharts, from the webjar) hold every step of events sent while it is
 * open, and two runs show side by side. Its twin without a
 * browser is {@link MetricsApiTest#liveStreamDeliversARunsMetricsAsServerSentEvents}. The trainer behind it is
 * {@link HostileTrainer}, whose answers carry markup: the page shows it as text and runs none of it.
 */
@QuarkusTest
@QuarkusTestResource(LocalStackResource.class)
@QuarkusTestResource(value = HostileTrainer.class, restrictToAnnotatedClass = true)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "metrics.steps-topic")
    String stepsTopic;

    @TestHTTPResource("/")
    URL base;

    /** The points the page's chart {@code chart} holds in its curve {@code name} (0 when it has no such curve). */
    private static long points(ChromeDriver browser, String chart, String name) {
        Object n = browser.executeScript(
                "const c = window.dashboard.curves(arguments[0]).find(c => c.name === arguments[1]);"
                        + " return c ? c.points : 0;",
                chart,
                name);
        return ((Number) n).longValue();
    }

    @Test
    void chartsDrawPointsForEventsSentWhileThePageIsOpen() throws Exception {
        String run = "ui-" + UUID.randomUUID();
        ChromeDriver browser = browser();
        try {
            browser.get(new URL(base, "?run=" + run).toString());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> browser.findElement(By.id("status")).getText().startsWith("live"));
            assertThat(points(browser, "loss", "train loss")).isZero();

            StepEvents.send(bootstrap, stepsTopic, StepEvents.epoch(run, 0, 6, System.currentTimeMillis()));

            // the live page redraws: its curves hold as many points as the series has
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> points(browser, "loss", "train loss") == 6
                            && points(browser, "lr", "train lr") == 6
                            && points(browser, "accuracy", "train top1") == 6);

            // two runs side by side: every chart has the curves of both
            String other = "ui-" + UUID.randomUUID();
            StepEvents.send(bootstrap, stepsTopic, StepEvents.epoch(other, 0, 4, System.currentTimeMillis()));
            browser.get(new URL(base, "?run=" + run + "," + other).toString());
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> points(browser, "loss", other + " · train loss") == 4
                            && points(browser, "loss", run + " · train loss") == 6);
            File shot = browser.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.quit();
        }
    }

    /**
     * Markup where ids and keys go, from the address ({@code ?run=}) and from the trainer (a dataset id, a setting,
     * the run's state, an S3 key): shown as text, never run.
     */
    @Test
    void markupInRunIdsAndTheTrainersAnswersIsShownAsTextAndNeverRuns() throws Exception {
        String run = HostileTrainer.markup("run");
        ChromeDriver browser = browser();
        try {
            browser.get(new URL(base, "?run=" + URLEncoder.encode(run, StandardCharsets.UTF_8)).toString());
            // the trainer's answers are drawn last: once they are on the page (or a piece ran), let any other image's
            // error handler fire
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pwned(browser) != null
                            || !browser.findElements(By.cssSelector("#checkpoints tr"))
                                    .isEmpty());
            Thread.sleep(1_000);
            assertThat(pwned(browser)).as("markup that ran as script").isNull();
            assertThat(browser.findElement(By.id("settings")).getText())
                    .contains(
                            run,
                            HostileTrainer.markup("dataset"),
                            HostileTrainer.markup("setting"),
                            HostileTrainer.markup("state"));
            assertThat(browser.findElement(By.id("checkpoints")).getText()).contains(HostileTrainer.markup("s3 key"));
            assertThat(browser.findElement(By.id("runs")).getText()).contains(run);
        } finally {
            browser.quit();
        }
    }

    /** Where the page's markup ran as script, as {@link HostileTrainer#markup} records it; null where none did. */
    private static Object pwned(ChromeDriver browser) {
        return browser.executeScript("return window.pwned === undefined ? null : window.pwned.join(', ');");
    }

    private static ChromeDriver browser() throws IOException {
        Assumptions.assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs apt packages chromium and chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        return new ChromeDriver(service, options);
    }
}
