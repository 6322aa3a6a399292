package io.weft.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from the installation's {@code conf/weft.properties}: a key is a command's name and an option's
 * long name without its dashes ({@code run.log-dir}), or the option's name alone for every command that has it
 * ({@code log-dir}). The command line wins. A missing file means no defaults.
 */
final class ConfDefaults implements IDefaultValueProvider {
    private final Properties properties;

    private ConfDefaults(Properties properties) {
        this.properties = properties;
    }

    static ConfDefaults of(Installation installation) {
        Properties p = new Properties();
        if (installation != null) {
            Path file = installation.conf().resolve("weft.properties");
            if (Files.isRegularFile(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                } catch (IOException e) {
                    throw new LauncherException("cannot read " + file + ": " + e.getMessage());
                }
            }
        }
        return new ConfDefaults(p);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec)) {
            return null;
        }
        String name = ((OptionSpec) arg).longestName().replaceFirst("^-+", "");
        String command = arg.command().name();
        String v = properties.getProperty(command + "." + name);
        return v != null ? v.trim() : properties.getProperty(name) == null ? null : properties.getProperty(name).trim();
    }
}
