package org.cinelab.cli;

import org.cinelab.bench.Benchmark;
import org.cinelab.bench.Benchmarks;
import org.cinelab.models.dl4j.Nd4jRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code cinelab bench NAME [args]}: runs a documented benchmark that prints figures. */
@Command(name = "bench", description = "Run a benchmark and print its figures (no arguments: list them).")
final class BenchCommand extends CineLabCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", paramLabel = "ARGS")
    List<String> args = List.of();

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the benchmark process (default: all available cores, the best set-up for one model).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (name == null) {
            for (Benchmark b : Benchmarks.all()) out().printf("  %-16s %s%n", b.name(), b.description());
            return 0;
        }
        Benchmark b = Benchmarks.all().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new Main.BadInputException("unknown benchmark '" + name + "'; known: "
                        + Benchmarks.all().stream().map(Benchmark::name).toList()));
        if (threads != null && threads < 1) throw new Main.BadInputException("--threads must be >= 1, got " + threads);
        Nd4jRuntime.setBlasThreads(threads != null ? threads : Nd4jRuntime.defaultBlasThreads(1));
        try {
            b.run(args.toArray(String[]::new), System.out); // benchmarks print straight to the console
        } catch (NumberFormatException e) {
            // the benchmarks parse their own options: say which value and what they take, once, here
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("For input string: \"(.*)\"").matcher(String.valueOf(e.getMessage()));
            throw new Main.BadInputException("bench " + name + ": '" + (m.find() ? m.group(1) : e.getMessage()) + "' is not a number where one is"
                    + " expected; " + b.description());
        } catch (ArrayIndexOutOfBoundsException e) {
            if (args.isEmpty() || !args.get(args.size() - 1).startsWith("--")) throw e;
            throw new Main.BadInputException("bench " + name + ": the last option has no value; " + b.description());
        }
        return 0;
    }
}
