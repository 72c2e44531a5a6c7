package org.cinelab.models.dl4j;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Minibatch rows gathered into reused arrays are the rows ND4J's getRows gives, for matrices and sequence tensors alike. */
class RowGatherTest {
    @Test
    void gathersTheSameRowsAsGetRowsIntoOneArrayPerBatchSize() {
        INDArray m = Nd4j.linspace(DataType.FLOAT, 1, 7 * 5, 1).reshape(7, 5);
        RowGather g = new RowGather(m);
        int[] a = {6, 0, 3}, b = {2, 2, 5};
        INDArray first = g.rows(a);
        assertEquals(m.getRows(a), first);
        INDArray second = g.rows(b);
        assertSame(first, second, "one array per batch size, reused");
        assertEquals(m.getRows(b), second);
        assertArrayEquals(new long[]{2, 5}, g.rows(new int[]{1, 4}).shape());

        long before = Nd4j.getDeallocatorService().nextValue();
        for (int i = 0; i < 10; i++) g.rows(a);
        assertTrue(Nd4j.getDeallocatorService().nextValue() - before <= 2, "no native buffers per call once the batch array exists");
    }

    @Test
    void sequenceTensorsAndViewsAreGatheredRowByRow() {
        INDArray t = Nd4j.linspace(DataType.FLOAT, 1, 4 * 2 * 3, 1).reshape(4, 2, 3);
        INDArray rows = new RowGather(t).rows(new int[]{3, 1});
        assertArrayEquals(new long[]{2, 2, 3}, rows.shape());
        assertEquals(t.slice(3), rows.slice(0));
        assertEquals(t.slice(1), rows.slice(1));

        INDArray view = Nd4j.linspace(DataType.FLOAT, 1, 6 * 4, 1).reshape(6, 4).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 6),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertEquals(view.getRows(1, 3), new RowGather(view).rows(new int[]{1, 3}));
    }
}
