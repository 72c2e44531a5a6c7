package org.cinelab.data;

import org.cinelab.data.Checksums;

import java.util.Map;
import java.util.TreeMap;

/**
 * The identity of a split: SHA-256 of the data checksum and the split parameters in sorted key
 * order. Two runs with equal split ids trained and tested on the same rows.
 */
public final class SplitId {
    private SplitId() {}

    public static String of(String dataSha256, Map<String, String> params) {
        StringBuilder sb = new StringBuilder("data=").append(dataSha256).append('\n');
        new TreeMap<>(params).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return Checksums.sha256(sb.toString());
    }
}
