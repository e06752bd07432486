namespace TrialFlow.Retrieval.Tests.Cohorts;

public sealed class CohortFileTests
{
    private static IReadOnlyList<CohortEntry> Read(string csv) => CohortFile.Read(new StringReader(csv), "cohort.csv");

    [Fact]
    public void Each_row_names_its_subject_and_one_key_with_the_optional_date_range_and_modality()
    {
        var entries = Read("""
            Subject_ID,patient_id,accession_number,study_instance_uid,study_date_from,study_date_to,modality
            701-101,MRN-0042,,,2025-01-01,20251231,ct
            701-102,,ACC-77,,,,
            "701-103",,,1.2.826.0.1.3680043.8.498.1,,,MR
            """);

        Assert.Equal(
            [
                new CohortEntry(2, "701-101", CohortMatch.PatientId, "MRN-0042", new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), "CT"),
                new CohortEntry(3, "701-102", CohortMatch.AccessionNumber, "ACC-77", null, null, null),
                new CohortEntry(4, "701-103", CohortMatch.StudyInstanceUid, "1.2.826.0.1.3680043.8.498.1", null, null, "MR"),
            ],
            entries);
    }

    [Fact]
    public void Every_mistake_is_named_with_its_line_and_nothing_is_returned()
    {
        var error = Assert.Throws<CohortFileException>(() => Read("""
            subject_id,patient_id,accession_number,study_instance_uid,study_date_from,study_date_to,modality
            ,MRN-1,,,,,
            701-102,,,,,,
            701-103,MRN-3,ACC-3,,,,
            701-104,,,1.2.3.x,,,
            701-105,MRN-5,,,2025-13-01,,
            701-106,MRN-6,,,2025-06-01,2025-01-01,
            701-107,MRN-1,,,,,C T
            """));

        Assert.Equal(
            [
                "line 2: subject_id is empty.",
                "line 3: give one of patient_id, accession_number, study_instance_uid.",
                "line 4: give only one of patient_id, accession_number.",
                "line 5: study_instance_uid '1.2.3.x' is not a UID (digits and dots, at most 64).",
                "line 6: study_date_from '2025-13-01' is not a date (yyyy-MM-dd or yyyyMMdd).",
                "line 7: study_date_from 2025-06-01 is after study_date_to 2025-01-01.",
                "line 8: modality 'C T' is not a DICOM modality code (e.g. CT, MR, PT).",
                "line 8: the same patient_id as line 2.",
            ],
            error.Errors);
        Assert.StartsWith("cohort.csv: 8 problems:", error.Message);
    }

    [Theory]
    [InlineData("", "line 1: the file is empty.")]
    [InlineData("subject_id,mrn\n", "line 1: unknown column 'mrn'")]
    [InlineData("patient_id\nMRN-1\n", "line 1: the header has no subject_id column.")]
    [InlineData("subject_id,modality\n701-1,CT\n", "line 1: the header has none of patient_id, accession_number, study_instance_uid.")]
    [InlineData("subject_id,patient_id\n", "the file has a header but no rows.")]
    public void A_header_that_cannot_be_read_is_refused_saying_why(string csv, string expected)
    {
        var error = Assert.Throws<CohortFileException>(() => Read(csv));

        Assert.Contains(error.Errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }
}
