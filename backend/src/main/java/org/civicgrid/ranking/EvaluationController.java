package org.civicgrid.ranking;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import org.civicgrid.security.CurrentUser;
import org.civicgrid.web.InvalidParameterException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Import and list external evaluation results (国测/省测/市测); admins and leaders, within their scope. */
@RestController
class EvaluationController {

    private final EvaluationImport importer;
    private final EvaluationRepository evaluations;
    private final RankingService rankings;

    EvaluationController(EvaluationImport importer, EvaluationRepository evaluations, RankingService rankings) {
        this.importer = importer;
        this.evaluations = evaluations;
        this.rankings = rankings;
    }

    /** CSV (UTF-8) or XLSX with the columns evaluation, evaluated_on, point_code, criterion, score, max_score; all rows or none. */
    @PostMapping(path = "/api/evaluations/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    EvaluationImport.Imported importFile(CurrentUser caller, @RequestParam(name = "file", required = false) MultipartFile file) throws IOException {
        RankingController.requireReader(caller);
        if (file == null) {
            throw new InvalidParameterException("file", "is required (multipart/form-data field 'file')");
        }
        if (file.getSize() > EvaluationImport.MAX_BYTES) {
            throw new InvalidParameterException("file", "is larger than 5 MB");
        }
        return importer.importFile(file.getOriginalFilename(), file.getBytes(), caller);
    }

    @GetMapping("/api/evaluations")
    List<EvaluationRepository.EvaluationRow> recent(CurrentUser caller, @RequestParam(required = false) String within,
                                                    @RequestParam(required = false) Integer limit) {
        RankingController.requireReader(caller);
        String prefix = within == null || within.isBlank() ? "" : rankings.checkedArea(caller.scope(), within.strip());
        int rows = limit == null ? 100 : limit;
        if (rows < 1 || rows > 1000) {
            throw new InvalidParameterException("limit", "must be between 1 and 1000");
        }
        return evaluations.recent(caller.scope(), prefix, rows);
    }

    /** A rejected import: 400 listing every bad row (header = row 1) and column; nothing was written. */
    @ExceptionHandler(EvaluationImport.ImportRejected.class)
    ProblemDetail rejected(EvaluationImport.ImportRejected e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The file was not imported: " + e.errors.size() + " error(s); first: row " + e.errors.get(0).row() + ", "
                        + e.errors.get(0).column() + ": " + e.errors.get(0).message());
        problem.setType(URI.create("urn:civicgrid:problem:invalid-parameter"));
        problem.setTitle("Invalid import file");
        problem.setProperty("parameter", "file");
        problem.setProperty("errors", e.errors);
        return problem;
    }
}
