using System.ComponentModel.DataAnnotations;
using CodeChatter.Core.Chat.Reading;

namespace CodeChatter.Web.Pages.Shared;

/// <summary>
/// The filter fields of both runs pages (a person's own and the admin's), bound from the query string.
/// Each page asks for the fields it shows: code text for a person, the owner's address for the admin.
/// </summary>
public sealed class RunFilterForm
{
    [Display(Name = "Status")]
    public string? Status { get; set; }

    [Display(Name = "Language")]
    public string? Language { get; set; }

    [Display(Name = "From")]
    [DataType(DataType.Date)]
    public DateOnly? From { get; set; }

    [Display(Name = "To")]
    [DataType(DataType.Date)]
    public DateOnly? To { get; set; }

    [Display(Name = "Code contains")]
    public string? Text { get; set; }

    [Display(Name = "Person (e-mail contains)")]
    public string? Person { get; set; }

    /// <summary>The filter of a person's own runs page.</summary>
    public RunFilter ForOwnRuns() => new(Status, Language, From, To, CodeContains: Text);

    /// <summary>The filter of the admin's page of everyone's runs.</summary>
    public RunFilter ForEveryonesRuns() => new(Status, Language, From, To, OwnerEmailContains: Person);

    /// <summary>What <c>_RunFilters</c> draws: the fields, the languages to offer and which page it is on.</summary>
    public sealed record View(RunFilterForm Filter, IReadOnlyList<string> Languages, bool ForAdmin);
}
