namespace TrialFlow.Web.Demo;

/// <summary>A tumour in the phantom: a sphere centred at (X, Y, Z) mm, of the given diameter and attenuation.</summary>
public sealed record DemoLesion(double X, double Y, double Z, double DiameterMm, short Hu);

/// <summary>
/// A synthetic chest/abdomen CT for the demo: body, lungs, liver, spine and aorta, plus the lesions a reader measures.
/// Coordinates are patient mm with the image centre at x = y = 0; values are Hounsfield units stored with an offset of
/// 1024 (Rescale Intercept −1024), with a little deterministic noise so window changes show texture.
/// </summary>
public static class DemoPhantom
{
    public const int Size = 256;
    public const double PixelMm = 1.5;

    public static ushort[] Slice(double z, IReadOnlyList<DemoLesion> lesions, int seed)
    {
        var pixels = new ushort[Size * Size];
        for (var row = 0; row < Size; row++)
        {
            var y = (row - Size / 2 + 0.5) * PixelMm;
            for (var column = 0; column < Size; column++)
            {
                var x = (column - Size / 2 + 0.5) * PixelMm;
                var hu = Tissue(x, y, z);
                foreach (var lesion in lesions)
                    if (Inside(x, y, z, lesion))
                        hu = lesion.Hu;
                if (hu > -900)
                    hu += Noise(row, column, seed);
                pixels[row * Size + column] = (ushort)Math.Clamp(hu + 1024, 0, 4095);
            }
        }
        return pixels;
    }

    private static int Tissue(double x, double y, double z)
    {
        if (!InEllipse(x, y, 0, 0, 160, 115))
            return -1000;
        if (InEllipse(x, y, 0, 85, 18, 18))
            return 700; // vertebral body
        if (InEllipse(x, y, 20, 55, 12, 12))
            return 180; // contrast-filled aorta
        if (z is <= -20 and >= -130 && (InEllipse(x, y, -75, -5, 55, 75) || InEllipse(x, y, 75, -5, 55, 75)))
            return -850; // lungs
        if (z is <= -120 and >= -220 && InEllipse(x, y, -55, 10, 70, 60))
            return 60; // liver, portal venous phase
        return 40; // soft tissue
    }

    private static bool Inside(double x, double y, double z, DemoLesion lesion)
    {
        var r = lesion.DiameterMm / 2;
        var dz = z - lesion.Z;
        if (Math.Abs(dz) >= r)
            return false;
        var section = r * r - dz * dz; // the sphere's cross-section at this slice
        return (x - lesion.X) * (x - lesion.X) + (y - lesion.Y) * (y - lesion.Y) <= section;
    }

    private static bool InEllipse(double x, double y, double cx, double cy, double a, double b) =>
        (x - cx) * (x - cx) / (a * a) + (y - cy) * (y - cy) / (b * b) <= 1;

    private static int Noise(int row, int column, int seed)
    {
        var h = (uint)(row * 73856093 ^ column * 19349663 ^ seed * 83492791);
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        return (int)(h % 21) - 10;
    }
}
