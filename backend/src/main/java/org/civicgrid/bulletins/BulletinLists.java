package org.civicgrid.bulletins;

import java.util.ArrayList;
import java.util.List;

import org.civicgrid.ranking.WeeklyRanking;

/** The red (红榜) and black (黑榜) lists of the bulletin: the ranking rows RankingService put on them, sub-areas first, then departments. */
final class BulletinLists {

    private BulletinLists() {
    }

    /** Rows {level name, rank, name, score} on the list "RED" or "BLACK". */
    static List<String[]> rows(Bulletin b, String list) {
        List<String[]> rows = new ArrayList<>();
        if (b.subRanking() != null) {
            add(rows, b.subRanking(), Bulletin.levelName(b.subLevel()), list);
        }
        add(rows, b.departmentRanking(), Bulletin.levelName("department"), list);
        return rows;
    }

    private static void add(List<String[]> rows, WeeklyRanking ranking, String level, String list) {
        List<WeeklyRanking.Row> on = new ArrayList<>(ranking.rows().stream().filter(r -> list.equals(r.list())).toList());
        if ("BLACK".equals(list)) {
            java.util.Collections.reverse(on); // worst first
        }
        for (WeeklyRanking.Row r : on) {
            rows.add(new String[] {level, Integer.toString(r.rank()), r.name(), BulletinText.score(r.score())});
        }
    }
}
