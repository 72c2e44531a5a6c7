package org.cinelab.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassificationReportTest {
    private final ClassificationReport report = new ClassificationReport(new int[]{0, 1, 2, 2, 2}, new int[]{0, 0, 2, 2, 1},
            List.of("class 0", "class 1", "class 2"));

    @Test
    void perClassAndAveragesMatchScikitLearnsDocumentedReport() {
        assertEquals(0.5, report.precision(0), 1e-12);
        assertEquals(0.0, report.f1(1), 1e-12);
        assertEquals(2.0 / 3, report.recall(2), 1e-12);
        assertEquals(0.6, report.accuracy(), 1e-12);
        assertEquals(0.5, report.macroPrecision(), 1e-12);
        assertEquals(0.5555555555555556, report.macroRecall(), 1e-12);
        assertEquals(0.4888888888888889, report.macroF1(), 1e-12);
        assertEquals(0.7, report.weightedPrecision(), 1e-12);
        assertEquals(0.6133333333333334, report.weightedF1(), 1e-12);
    }

    @Test
    void textHasSklearnRowsAndMetricKeysAreMlflowSafe() {
        String text = report.text();
        assertTrue(text.contains("     class 2      1.00      0.67      0.80         3"), text);
        assertTrue(text.contains("    accuracy                          0.60         5"), text);
        assertTrue(text.contains("   macro avg      0.50      0.56      0.49         5"), text);
        Map<String, Double> m = report.asMap(true);
        assertEquals(1.0, m.get("precision_class_2"), 1e-12);
    }

    @Test
    void confusionCsvHasTrueClassesAsRows() {
        assertEquals("true\\predicted,class 0,class 1,class 2\nclass 0,1,0,0\nclass 1,1,0,0\nclass 2,0,1,2\n", report.confusionCsv());
    }
}
