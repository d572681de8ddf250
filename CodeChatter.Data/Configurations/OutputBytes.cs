using System.Text;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CodeChatter.Data.Configurations;

/// <summary>A run's output as the UTF-8 bytes of a BLOB column, so every character survives, NUL included.</summary>
internal static class OutputBytes
{
    public static readonly ValueConverter<string, byte[]> Converter = new(
        text => Encoding.UTF8.GetBytes(text),
        bytes => Encoding.UTF8.GetString(bytes));
}
