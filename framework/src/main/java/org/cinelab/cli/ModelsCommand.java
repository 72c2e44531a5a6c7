package org.cinelab.cli;

import org.cinelab.space.HyperParameter;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import picocli.CommandLine.Command;


/** {@code cinelab models}: the model zoo with each model's hyperparameters. */
@Command(name = "models", description = "List the models and the hyperparameters each takes.")
final class ModelsCommand extends CineLabCommand {
    @Override
    public Integer call() {
        for (ModelFactory m : ModelRegistry.all().values()) {
            out().printf("%s — %s%n  data: %s; metrics: %s%n", m.type(), m.description(),
                    m.dataType().getSimpleName(), m.metricNames());
            for (HyperParameter hp : m.hyperParameters()) {
                String range = hp.allowed().isEmpty()
                        ? (hp.min() == null ? "" : " [" + hp.min() + ", " + hp.max() + "]")
                        : " " + hp.allowed();
                out().printf("  %-14s %-7s default %-8s%s  %s%n", hp.name(), hp.type().name().toLowerCase(),
                        hp.defaultValue(), range, hp.help());
            }
        }
        return 0;
    }
}
