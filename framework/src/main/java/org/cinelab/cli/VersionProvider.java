package org.cinelab.cli;

import picocli.CommandLine;

/** Prints CineLab's version from the jar manifest. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"cinelab " + (v == null ? "dev" : v)};
    }
}
