using System.Numerics.Tensors;
using LaxScan;
using LaxScan.Io;
using LaxScan.Linen;
using LaxScan.Models;
using LaxScan.Random;

// Each line: a name and the float32 bits (hex) of what the library returned, for the test to compare with its own run.
NDArray<float> h = LaxScanFunctions.LaxScanInModule(0, [0.5f, -1f, 0.25f, 2f], 4, 10);
Print("run", h);

// A Flax checkpoint written and read back (MessagePack), then applied; and a .npy round trip.
Variables variables = LaxScanFunctions.Params(PrngKey.FromSeed(0), 4);
Variables read = FlaxSerialization.FromBytes(FlaxSerialization.ToBytes(variables));
Print("apply", LaxScanFunctions.Apply(read, new NDArray<float>(new Shape(4), [0.5f, -1f, 0.25f, 2f]), 4, 10));

using var npy = new MemoryStream();
NpyWriter.Write(npy, h);
npy.Position = 0;
Print("npy", NpyReader.ReadFloat32(npy));

// The zero-copy view to System.Numerics.Tensors and back.
Print("tensor", NDArray<float>.FromTensorSpan(h.AsReadOnlyTensorSpan()));

Print("normal", JaxRandom.Normal(PrngKey.FromSeed(42), new Shape(3)));

// A Flax error is caught as the .NET exception it derives from.
try
{
    LaxScanFunctions.Apply(variables, new NDArray<float>(new Shape(3)), 3, 1);
}
catch (ArgumentException e) when (e is IFlaxError flax)
{
    Console.WriteLine($"error {flax.FlaxClassName}");
}

static void Print(string name, NDArray<float> array) =>
    Console.WriteLine($"{name} {string.Join(',', array.Data.Select(v => BitConverter.SingleToUInt32Bits(v).ToString("x8")))}");
