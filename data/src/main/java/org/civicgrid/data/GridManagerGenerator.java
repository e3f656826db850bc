package org.civicgrid.data;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Grid managers (网格长/网格员): one owner per grid, a few grids with a second owner and a few managers who also
 * own an adjacent grid of the same community. Usernames and phone numbers are unique over the whole run.
 */
final class GridManagerGenerator {

    static final String HEADER = "username,display_name,phone,grid_codes\n";
    private static final double SECOND_GRID_SHARE = 0.05;
    private static final double CO_OWNER_SHARE = 0.04;

    private final Set<String> usedPhones = new HashSet<>();
    private long nextNumber = 1;

    /** Writes the managers of one district and returns how many were written. */
    long write(Writer out, DistrictAreas areas, SplittableRandom rnd) throws IOException {
        List<DistrictAreas.Grid> grids = areas.grids();
        boolean[] assigned = new boolean[grids.size()];
        long written = 0;
        for (int g = 0; g < grids.size(); g++) {
            if (assigned[g]) {
                continue;
            }
            assigned[g] = true;
            List<String> codes = new ArrayList<>(List.of(grids.get(g).code()));
            if (rnd.nextDouble() < SECOND_GRID_SHARE) {
                for (int neighbour : grids.get(g).neighbours()) {
                    if (!assigned[neighbour]
                            && grids.get(neighbour).communityCode().equals(grids.get(g).communityCode())) {
                        assigned[neighbour] = true;
                        codes.add(grids.get(neighbour).code());
                        break;
                    }
                }
            }
            writeManager(out, codes, rnd);
            written++;
            if (rnd.nextDouble() < CO_OWNER_SHARE) {
                writeManager(out, List.of(grids.get(g).code()), rnd);
                written++;
            }
        }
        return written;
    }

    private void writeManager(Writer out, List<String> gridCodes, SplittableRandom rnd) throws IOException {
        String username = String.format(Locale.ROOT, "gm%06d", nextNumber++);
        String phone = NameBank.phone(rnd);
        for (int attempt = 0; attempt < 50 && !usedPhones.add(phone); attempt++) {
            phone = NameBank.phone(rnd);
        }
        out.append(Csv.appendRow(new StringBuilder(), username, NameBank.personName(rnd), phone,
                String.join(";", gridCodes)));
    }
}
