package org.cinelab.cli;

import org.cinelab.data.sets.DelimitedRatingsReader;
import org.cinelab.data.sets.MovieLens1m;
import org.cinelab.data.sets.MovieLensLatestSmall;
import org.cinelab.data.sets.NetflixPrizeDataset;
import org.cinelab.data.sets.NetflixTitlesDataset;
import org.cinelab.data.RatingTable;
import org.cinelab.data.catalog.CatalogEntry;
import org.cinelab.data.catalog.DataDirs;
import org.cinelab.data.catalog.DatasetCatalog;
import org.cinelab.data.catalog.DatasetException;
import org.cinelab.data.catalog.DatasetInstaller;
import org.cinelab.data.catalog.DatasetVerifier;
import org.cinelab.data.catalog.RatingStats;
import org.cinelab.data.catalog.TitlesStats;
import org.cinelab.data.netflix.NetflixTitles;
import org.cinelab.data.catalog.VerificationReport;
import org.cinelab.io.UserMessages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code cinelab datasets}: list the catalog, show a dataset's statistics, fetch or import it into
 * the cache, and verify installed copies against their checksums.
 */
@Command(name = "datasets", description = "Manage the dataset cache (datasets/cache/, --data-dir or env CINELAB_DATA).",
        mixinStandardHelpOptions = true,
        subcommands = {DatasetsCommand.ListCommand.class, DatasetsCommand.InfoCommand.class, DatasetsCommand.FetchCommand.class,
                DatasetsCommand.ImportCommand.class, DatasetsCommand.VerifyCommand.class})
public final class DatasetsCommand implements Callable<Integer> {
    static final int OK = 0, FAILED = 1, BAD_INPUT = 2;

    @Spec CommandSpec spec;

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Dataset cache folder (default: env CINELAB_DATA, else datasets/cache).")
    Path dataDir;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return BAD_INPUT;
    }

    Path dataDir() { return DataDirs.resolve(dataDir); }

    DatasetCatalog catalog() { return DatasetCatalog.bundled(); }

    DatasetInstaller installer(PrintWriter out) {
        return new DatasetInstaller(catalog(), System.getenv(DatasetInstaller.MIRROR_ENV), System.err, out::println);
    }

    /** Runs a subcommand body, turning dataset errors into a message and exit code. */
    static int run(CommandSpec spec, Body body) {
        try {
            return body.run();
        } catch (DatasetException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return e.getMessage().startsWith("unknown dataset") ? BAD_INPUT : FAILED;
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: " + UserMessages.of(e));
            return FAILED;
        }
    }

    interface Body {
        int run() throws IOException;
    }

    @Command(name = "list", description = "List the datasets of the catalog and whether each is installed.")
    static final class ListCommand implements Callable<Integer> {
        @ParentCommand DatasetsCommand parent;
        @Spec CommandSpec spec;

        public Integer call() {
            return run(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                Path dir = parent.dataDir();
                out.printf("cache: %s%n", dir);
                out.printf("%-24s %-17s %-9s %-12s %s%n", "NAME", "FOLDER", "GET BY", "STATE", "TITLE");
                for (CatalogEntry e : parent.catalog().entries()) {
                    VerificationReport quick = DatasetVerifier.verify(e, dir.resolve(e.folder()), false);
                    String state = !quick.installed() ? "missing" : quick.ok() ? "installed" : "incomplete";
                    out.printf("%-24s %-17s %-9s %-12s %s%n", e.name(), e.folder() + "/", e.isPublicDownload() ? "fetch" : "import", state, e.title());
                }
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "info", description = "Show a dataset's source, terms and, when installed, its rating statistics.")
    static final class InfoCommand implements Callable<Integer> {
        @ParentCommand DatasetsCommand parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME") String name;

        public Integer call() {
            return run(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                CatalogEntry e = parent.catalog().get(name);
                Path folder = parent.dataDir().resolve(e.folder());
                out.println(e.name() + ": " + e.title());
                out.println("source    " + (e.isPublicDownload() ? e.archive().url() : e.homepage() + " (login needed: import by hand)"));
                out.println("folder    " + folder);
                out.println("licence   " + e.licence());
                out.println("citation  " + e.citation());
                VerificationReport quick = DatasetVerifier.verify(e, folder, false);
                if (!quick.ok()) {
                    out.println("state     " + (quick.installed() ? "incomplete: " + String.join("; ", quick.problems()) : "not installed")
                            + "; get it with: " + (e.isPublicDownload() ? "cinelab datasets fetch " + e.name() : e.importCommand(null)));
                    out.flush();
                    return OK;
                }
                out.println("state     installed");
                RatingTable ratings = ratingsOf(e.name(), folder);
                if (ratings != null) {
                    int users = maxPlusOne(ratings.users());
                    int items = maxPlusOne(ratings.items());
                    out.println(RatingStats.of(ratings, users, items).describe());
                } else if (e.name().equals(NetflixTitlesDataset.NAME)) {
                    for (int version : new int[] {7787, 8807}) {
                        Path csv = folder.resolve(NetflixTitlesDataset.fileOf(version));
                        if (java.nio.file.Files.isRegularFile(csv)) {
                            out.println(TitlesStats.of(csv.getFileName().toString(), NetflixTitles.read(csv)).describe());
                        }
                    }
                } else if (e.isRatings()) {
                    out.println("(rating statistics for " + e.name() + " come from its loader, which `info` does not read yet)");
                }
                out.flush();
                return OK;
            });
        }

        private static RatingTable ratingsOf(String name, Path folder) throws IOException {
            DelimitedRatingsReader.OnError fail = DelimitedRatingsReader.OnError.FAIL;
            return switch (name) {
                case "movielens-100k" -> new DelimitedRatingsReader("\t", false, StandardCharsets.US_ASCII, 1f, 5f)
                        .read(folder.resolve("u.data"), fail).table();
                case MovieLens1m.NAME -> MovieLens1m.read(folder, fail).ratings();
                case MovieLensLatestSmall.NAME -> MovieLensLatestSmall.read(folder, fail).ratings();
                case NetflixPrizeDataset.NAME -> NetflixPrizeDataset.read(folder, org.cinelab.data.netflix.OnError.FAIL).ratings();
                default -> null;
            };
        }

        private static int maxPlusOne(int[] ids) {
            int m = -1;
            for (int id : ids) m = Math.max(m, id);
            return m + 1;
        }
    }

    @Command(name = "fetch", description = "Download a public dataset, verify its checksums and install it in the cache.")
    static final class FetchCommand implements Callable<Integer> {
        @ParentCommand DatasetsCommand parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME") String name;

        public Integer call() {
            return run(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                parent.installer(out).fetch(name, parent.dataDir());
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "import", description = "Install a dataset from a local file, folder or zip (for data behind a login), then verify it.")
    static final class ImportCommand implements Callable<Integer> {
        @ParentCommand DatasetsCommand parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--from", required = true, paramLabel = "PATH", description = "The downloaded file, folder or zip.") Path from;

        public Integer call() {
            return run(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                parent.installer(out).importFrom(name, from, parent.dataDir());
                out.flush();
                return OK;
            });
        }
    }

    @Command(name = "verify", description = "Check installed datasets (all, or NAME) against the catalog's checksums.")
    static final class VerifyCommand implements Callable<Integer> {
        @ParentCommand DatasetsCommand parent;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "NAME", arity = "0..1") String name;

        public Integer call() {
            return run(spec, () -> {
                PrintWriter out = spec.commandLine().getOut();
                Path dir = parent.dataDir();
                List<CatalogEntry> entries = name == null ? parent.catalog().entries() : List.of(parent.catalog().get(name));
                boolean failed = false;
                int installed = 0;
                for (CatalogEntry e : entries) {
                    VerificationReport r = DatasetVerifier.verify(e, dir.resolve(e.folder()), true);
                    if (!r.installed() && name == null) continue;
                    installed += r.installed() ? 1 : 0;
                    out.println(r.describe());
                    failed |= !r.ok();
                }
                if (name == null && installed == 0) out.println("no dataset installed in " + dir);
                out.flush();
                return failed ? FAILED : OK;
            });
        }
    }

}
