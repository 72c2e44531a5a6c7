package org.cinelab.tracking;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Random run names in MLflow's style, {@code <adjective>-<noun>-<0..999>}, at most 20 characters. */
public final class RunNames {
    private static final int MAX_LENGTH = 20;
    private static final List<String> ADJECTIVES = List.of(
            "able", "bold", "brave", "bright", "calm", "clever", "cool", "crisp", "dapper", "eager", "fair",
            "gentle", "glib", "grand", "honest", "keen", "kind", "lively", "lucky", "merry", "mild", "neat",
            "nimble", "polite", "proud", "quick", "quiet", "rare", "rogue", "shy", "silent", "sleek", "swift",
            "tidy", "vast", "wise", "witty", "zealous");
    private static final List<String> NOUNS = List.of(
            "ant", "bass", "bat", "bear", "cat", "colt", "crab", "crow", "deer", "doe", "dove", "duck", "eel",
            "elk", "finch", "fish", "fox", "frog", "goat", "hare", "hawk", "hen", "jay", "koi", "lark", "lynx",
            "mole", "moth", "mule", "newt", "owl", "ox", "panda", "ram", "seal", "shrew", "slug", "snail",
            "squid", "stoat", "swan", "toad", "trout", "wasp", "whale", "wolf", "worm", "yak");

    private RunNames() {}

    public static String random() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (true) {
            String name = ADJECTIVES.get(rnd.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(rnd.nextInt(NOUNS.size()))
                    + "-" + rnd.nextInt(1000);
            if (name.length() <= MAX_LENGTH) return name;
        }
    }
}
