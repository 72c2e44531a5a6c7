package org.cinelab.data.split;

import org.cinelab.data.RatingTable;

import java.util.Arrays;
import java.util.Map;

/**
 * Keeps the ratings of the {@code topUsers} most active users on the {@code topItems} most rated
 * items (both counted on the whole table; ties go to the lower id), then renumbers the kept users
 * and items densely in ascending order of their old ids. The Netflix study uses 10,000 x 2,000.
 */
public final class TopUsersItems {
    private TopUsersItems() {}

    /**
     * @param table    the kept ratings with new dense ids
     * @param oldUser  old dense user id by new id
     * @param oldItem  old dense item id by new id
     */
    public record Filtered(RatingTable table, int[] oldUser, int[] oldItem, Map<String, String> params) {}

    /** A limit of 0 keeps every user (or item). */
    public static Filtered filter(RatingTable table, int numUsers, int numItems, int topUsers, int topItems) {
        boolean[] keepUser = top(table.users(), numUsers, topUsers);
        boolean[] keepItem = top(table.items(), numItems, topItems);
        int[] newUser = renumber(keepUser);
        int[] newItem = renumber(keepItem);
        int kept = 0;
        for (int r = 0; r < table.size(); r++) if (keepUser[table.user(r)] && keepItem[table.item(r)]) kept++;
        int[] u = new int[kept], it = new int[kept];
        float[] rt = new float[kept];
        long[] ts = new long[kept];
        int k = 0;
        for (int r = 0; r < table.size(); r++) {
            if (!keepUser[table.user(r)] || !keepItem[table.item(r)]) continue;
            u[k] = newUser[table.user(r)];
            it[k] = newItem[table.item(r)];
            rt[k] = table.rating(r);
            ts[k] = table.timestamp(r);
            k++;
        }
        return new Filtered(new RatingTable(u, it, rt, ts), inverse(newUser, keepUser), inverse(newItem, keepItem),
                Map.of("filter.top_users", Integer.toString(topUsers), "filter.top_items", Integer.toString(topItems)));
    }

    private static boolean[] top(int[] ids, int numIds, int limit) {
        boolean[] keep = new boolean[numIds];
        if (limit <= 0 || limit >= numIds) {
            Arrays.fill(keep, true);
            return keep;
        }
        long[] count = new long[numIds];
        for (int id : ids) count[id]++;
        long[] key = new long[numIds];
        for (int id = 0; id < numIds; id++) key[id] = (-count[id] << 32) | id;
        Arrays.sort(key);
        for (int i = 0; i < limit; i++) keep[(int) (key[i] & 0xffffffffL)] = true;
        return keep;
    }

    private static int[] renumber(boolean[] keep) {
        int[] map = new int[keep.length];
        int next = 0;
        for (int i = 0; i < keep.length; i++) map[i] = keep[i] ? next++ : -1;
        return map;
    }

    private static int[] inverse(int[] map, boolean[] keep) {
        int n = 0;
        for (boolean b : keep) if (b) n++;
        int[] inv = new int[n];
        for (int i = 0; i < map.length; i++) if (map[i] >= 0) inv[map[i]] = i;
        return inv;
    }
}
