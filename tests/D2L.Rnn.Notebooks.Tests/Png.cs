using System.Buffers.Binary;
using System.IO.Compression;

namespace D2L.Rnn.Notebooks.Tests;

/// <summary>A minimal PNG reader (8-bit RGB/RGBA, non-interlaced): enough to look at a browser screenshot.</summary>
public sealed class Png
{
    public int Width { get; private init; }
    public int Height { get; private init; }
    private byte[] _rgba = [];

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = (y * Width + x) * 4;
            return (_rgba[i], _rgba[i + 1], _rgba[i + 2]);
        }
    }

    public static Png Read(string path) => Decode(File.ReadAllBytes(path));

    public static Png Decode(byte[] bytes)
    {
        int width = 0, height = 0, colorType = 0;
        var idat = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[12] != 0) throw new NotSupportedException("Only 8-bit, non-interlaced PNGs.");
                colorType = data[9];
            }
            else if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }
        var channels = colorType switch { 2 => 3, 6 => 4, _ => throw new NotSupportedException($"PNG color type {colorType}.") };
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        var raw = new MemoryStream();
        z.CopyTo(raw);
        var src = raw.ToArray();
        var stride = width * channels;
        var prev = new byte[stride];
        var rgba = new byte[width * height * 4];
        for (var y = 0; y < height; y++)
        {
            var filter = src[y * (stride + 1)];
            var line = src.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            for (var i = 0; i < stride; i++)
            {
                int a = i >= channels ? line[i - channels] : 0, b = prev[i], c = i >= channels ? prev[i - channels] : 0;
                line[i] = (byte)(line[i] + filter switch
                {
                    0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}."),
                });
            }
            for (var x = 0; x < width; x++)
            {
                rgba[(y * width + x) * 4] = line[x * channels];
                rgba[(y * width + x) * 4 + 1] = line[x * channels + 1];
                rgba[(y * width + x) * 4 + 2] = line[x * channels + 2];
                rgba[(y * width + x) * 4 + 3] = channels == 4 ? line[x * channels + 3] : (byte)255;
            }
            prev = line;
        }
        return new Png { Width = width, Height = height, _rgba = rgba };
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
