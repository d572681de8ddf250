using System.ComponentModel.DataAnnotations;
using CodeChatter.Data;
using CodeChatter.Data.Entities;

namespace CodeChatter.Web.Pages.Shared;

/// <summary>The filter fields both runs pages (a person's own and the admin's) offer.</summary>
public class RunFilter
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

    /// <summary>Keeps the runs these fields ask for.</summary>
    public IQueryable<Execution> Apply(IQueryable<Execution> runs) => runs.Matching(Status, Language, From, To);
}
