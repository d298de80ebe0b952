package org.phoneemu.webui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.phoneemu.core.testing.RequiredPeer;

/**
 * Debian's chromium driven by Debian's chromedriver through Selenium: headless, offline (no background networking,
 * no component updates, no sync), with a fresh profile. With CI=true a missing chromium fails the test.
 */
final class HeadlessChromium implements AutoCloseable {
    final ChromeDriver driver;
    private final Path profile;

    HeadlessChromium() throws IOException {
        Path browser = RequiredPeer.requireProgram("chromium (Debian package chromium)", "/usr/bin/chromium", "chromium");
        Path chromedriver = RequiredPeer.requireProgram("chromedriver (Debian package chromium-driver)", "/usr/bin/chromedriver", "chromedriver");
        profile = Files.createTempDirectory("phone-emu-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(browser.toFile());
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1360,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60)).scriptTimeout(Duration.ofSeconds(30));
    }

    /** Writes a PNG of the whole page as it is now, top to bottom (the window grows to the page for the shot). */
    Path screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Dimension before = driver.manage().window().getSize();
        Number height = (Number) driver.executeScript("window.scrollTo(0, 0); return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new Dimension(before.getWidth(), Math.min(4000, height.intValue() + 120)));
        try {
            File png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.manage().window().setSize(before);
        }
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var walk = Files.walk(profile)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
