namespace TrialFlow.Deid.Tests.Engine;

public sealed class DescriptorCleanerTests
{
    // Each word is tried between safe vocabulary words, so the word alone decides.
    private static bool IsSafe(string word) => DescriptorCleaner.IsSafe($"Portal venous {word} axial", TestPaths.TrialDefault.SafeVocabulary);

    [Theory]
    [InlineData("2.5mm")]
    [InlineData("0.625mm")]
    [InlineData("120kV")]
    [InlineData("120kVp")]
    [InlineData("5 mm")]
    [InlineData("3D")]
    [InlineData("1.5T")]
    [InlineData("1000ms")]
    [InlineData("200mAs")]
    [InlineData("10mGy")]
    [InlineData("40HU")]
    [InlineData("50%")]
    [InlineData("2x")]
    [InlineData("2.5MM")]
    [InlineData("120KV")]
    [InlineData("3t")]
    public void A_number_followed_by_a_measurement_unit_is_safe(string word) => Assert.True(IsSafe(word));

    [Theory]
    [InlineData("2")]
    [InlineData("120")]
    [InlineData("0.625")]
    [InlineData("B1000")] // on the vocabulary, not a measurement
    public void A_small_number_a_short_decimal_or_a_vocabulary_word_is_safe(string word) => Assert.True(IsSafe(word));

    [Theory]
    [InlineData("12345678")]   // a medical record number
    [InlineData("20240105")]   // a date
    [InlineData("2024-01-05")] // a date: 2024 is four digits without a unit
    [InlineData("2024")]
    [InlineData("1234.5")]
    [InlineData("AB1234")]     // letters then digits: an accession or record number
    [InlineData("12AB")]       // digits then letters that are no unit
    [InlineData("12345mm")]    // five integer digits, even with a unit
    [InlineData("2.5625mm")]   // four decimals
    [InlineData("1.2.3")]      // a UID fragment, not a decimal
    [InlineData("45Y")]        // an age
    public void Digit_runs_dates_and_codes_that_could_identify_are_not_safe(string word) => Assert.False(IsSafe(word));
}
