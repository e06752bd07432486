namespace TrialFlow.Activation.Tests.Activation;

/// <summary>Study managers edit the checklist files: every mistake is named with its file and line before a site is activated against it.</summary>
public sealed class ChecklistFileTests
{
    [Fact]
    public void The_shipped_checklists_load_and_a_trial_gets_its_own_or_the_default()
    {
        var demo = ActivationFixture.Checklists.For("TF-ONC-301");
        var other = ActivationFixture.Checklists.For("TF-TEST-1");

        Assert.Equal("TF-ONC-301 site activation", demo.Name);
        Assert.False(demo.Item("site-initiation-visit").Required);
        Assert.Equal(AutomaticCheck.TestTransfer, demo.Item("test-transfer").Automatic);
        Assert.True(demo.Item("staff-trained").PerUser);
        Assert.Equal("Site activation (imaging)", other.Name);
    }

    [Theory]
    [InlineData("name: x\nitems:\n  - key: a\n    title: A\n    due: tomorrow\n", "x.yaml:5: unknown item key 'due' (known: key, title, required, perUser, automatic, guidance)")]
    [InlineData("name: x\nitems:\n  - key: a\n  - key: b\n    title: B\n", "x.yaml:3: item 'a' needs a 'title'")]
    [InlineData("name: x\nitems:\n  - key: a\n    title: A\n  - key: a\n    title: A again\n", "x.yaml:5: item key 'a' is used twice")]
    [InlineData("name: x\nitems:\n  - key: Staff Trained\n    title: A\n", "x.yaml:3: an item needs a 'key' of lower-case letters, digits and '-' (found 'Staff Trained')")]
    [InlineData("name: x\nitems:\n  - key: a\n    title: A\n    automatic: phantom\n", "x.yaml:5: unknown automatic check 'phantom' (known: test-transfer, scanner-qualification)")]
    [InlineData("name: x\nitems:\n  - key: a\n    title: A\n    required: yes please\n", "x.yaml:5: expected true or false, found 'yes please'")]
    [InlineData("name: x\nitems:\n  - key: a\n    title: A\n    perUser: true\n    automatic: test-transfer\n", "x.yaml:3: item 'a' cannot be both per user and automatic")]
    [InlineData("name: x\n", "x.yaml:1: the checklist needs 'items', a list of at least one item")]
    [InlineData("name: x\nitems: [\n", "x.yaml:3: not valid YAML")]
    public void A_mistake_in_a_checklist_file_is_named_with_its_line(string yaml, string expected)
    {
        var error = Assert.Throws<ChecklistFileException>(() => ChecklistLoader.Parse("x.yaml", yaml));

        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public void An_item_the_checklist_does_not_have_is_named_with_the_ones_it_has()
    {
        var error = Assert.Throws<ActivationException>(() => ActivationFixture.Checklists.For("TF-TEST-1").Item("phantom-scan"));

        Assert.Equal("The activation checklist 'Site activation (imaging)' has no item 'phantom-scan' (it has: protocol-acknowledged, imaging-manual, staff-trained, data-sharing-agreement, scanner-qualification, test-transfer).", error.Message);
    }
}
