package org.cinelab.runner;

import java.math.BigDecimal;
import java.math.MathContext;

/** Short renderings of hyperparameter values for run names and tables: {@code lr=0.0123}. */
public final class ValueFormat {
    private ValueFormat() {}

    public static String compact(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) return Double.toString(d);
            if (d == 0) return "0";
            return new BigDecimal(d).round(new MathContext(3)).stripTrailingZeros().toString()
                    .replace("E+", "e").replace("E", "e");
        }
        return String.valueOf(v);
    }
}
