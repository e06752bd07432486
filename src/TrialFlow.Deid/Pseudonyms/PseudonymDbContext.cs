using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace TrialFlow.Deid.Pseudonyms;

/// <summary>
/// The pseudonym store, kept apart from the imaging data (GDPR Art. 4(5)): its own database (by default
/// <c>pseudonyms.db</c> in the data folder), its own migrations, administered by the PseudonymCustodian role.
/// No original identifier is stored in clear: every key is an HMAC-SHA256 under the trial's pseudonym key.
/// </summary>
public sealed class PseudonymDbContext(DbContextOptions<PseudonymDbContext> options) : DbContext(options)
{
    public DbSet<UidPseudonym> UidPseudonyms => Set<UidPseudonym>();
    public DbSet<SubjectDateOffset> SubjectDateOffsets => Set<SubjectDateOffset>();
    public DbSet<PatientLink> PatientLinks => Set<PatientLink>();
    public DbSet<StudyPatientLink> StudyPatientLinks => Set<StudyPatientLink>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PseudonymDbContext).Assembly,
            t => t.Namespace == typeof(PseudonymDbContext).Namespace);
}

/// <summary>HMAC(source UID) → the TrialFlow UID (2.25.random) that replaces it, trial-wide.</summary>
public sealed class UidPseudonym
{
    public long Id { get; private set; }
    public string SourceKey { get; private set; } = "";
    public string Uid { get; private set; } = "";
}

/// <summary>HMAC(subject id) → days added to the subject's dates (random, not derived from the dates).</summary>
public sealed class SubjectDateOffset
{
    public long Id { get; private set; }
    public string SubjectKey { get; private set; } = "";
    public int OffsetDays { get; private set; }
}

/// <summary>HMAC(site + PatientID as received) → the trial subject it was matched to: a later different match is refused.</summary>
public sealed class PatientLink
{
    public long Id { get; private set; }
    public string SitePatientKey { get; private set; } = "";
    public string SubjectId { get; private set; } = "";
}

/// <summary>HMAC(Study Instance UID) → HMAC(site + PatientID) first seen with it: a second patient in one study is refused.</summary>
public sealed class StudyPatientLink
{
    public long Id { get; private set; }
    public string StudyKey { get; private set; } = "";
    public string SitePatientKey { get; private set; } = "";
}

internal sealed class UidPseudonymConfiguration : IEntityTypeConfiguration<UidPseudonym>
{
    public void Configure(EntityTypeBuilder<UidPseudonym> b)
    {
        b.ToTable("UidPseudonyms");
        b.Property(x => x.SourceKey).HasMaxLength(64).IsRequired();
        b.Property(x => x.Uid).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.SourceKey).IsUnique();
        b.HasIndex(x => x.Uid).IsUnique();
    }
}

internal sealed class SubjectDateOffsetConfiguration : IEntityTypeConfiguration<SubjectDateOffset>
{
    public void Configure(EntityTypeBuilder<SubjectDateOffset> b)
    {
        b.ToTable("SubjectDateOffsets");
        b.Property(x => x.SubjectKey).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.SubjectKey).IsUnique();
    }
}

internal sealed class PatientLinkConfiguration : IEntityTypeConfiguration<PatientLink>
{
    public void Configure(EntityTypeBuilder<PatientLink> b)
    {
        b.ToTable("PatientLinks");
        b.Property(x => x.SitePatientKey).HasMaxLength(64).IsRequired();
        b.Property(x => x.SubjectId).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.SitePatientKey).IsUnique();
    }
}

internal sealed class StudyPatientLinkConfiguration : IEntityTypeConfiguration<StudyPatientLink>
{
    public void Configure(EntityTypeBuilder<StudyPatientLink> b)
    {
        b.ToTable("StudyPatientLinks");
        b.Property(x => x.StudyKey).HasMaxLength(64).IsRequired();
        b.Property(x => x.SitePatientKey).HasMaxLength(64).IsRequired();
        b.HasIndex(x => x.StudyKey).IsUnique();
    }
}
