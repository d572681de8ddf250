using System.Net.Http.Headers;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace CodeChatter.Tests.Web;

/// <summary>Uploads a notebook through the import form the way a browser without script does: multipart, with the form's antiforgery token.</summary>
public static class NotebookUploads
{
    /// <summary>Loads the page holding the import form, then posts it with <paramref name="content"/> as the file.</summary>
    public static async Task<ChatClient.Page> ImportAsync(ChatClient person, byte[] content, string fileName = "notebook.ipynb", string formPage = "/Conversations/New")
    {
        var page = await person.GetAsync(formPage);
        var form = page.Document.QuerySelector<IHtmlFormElement>("form#import")
            ?? throw new InvalidOperationException($"No import form on {formPage}.");
        Assert.Equal("multipart/form-data", form.Enctype);
        using var body = new MultipartFormDataContent();
        foreach (var hidden in form.QuerySelectorAll<IHtmlInputElement>("input[type=hidden]"))
        {
            body.Add(new StringContent(hidden.Value), hidden.Name!);
        }
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/x-ipynb+json");
        body.Add(file, form.QuerySelector<IHtmlInputElement>("input[type=file]")!.Name!, fileName);
        using var response = await person.Http.PostAsync(form.GetAttribute("action"), body);
        return await ChatClient.Page.ReadAsync(response);
    }

    /// <summary>A minimal nbformat 4.5 notebook with the given cells (JSON objects as text).</summary>
    public static byte[] Notebook(params string[] cells) => System.Text.Encoding.UTF8.GetBytes(
        $$$"""{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}, "cells": [{{{string.Join(", ", cells)}}}]}""");

    /// <summary>A Markdown cell's JSON.</summary>
    public static string MarkdownCell(string id, string text) =>
        $$"""{"cell_type": "markdown", "id": "{{id}}", "metadata": {}, "source": {{System.Text.Json.JsonSerializer.Serialize(text)}}}""";

    /// <summary>A code cell's JSON, with no outputs.</summary>
    public static string CodeCell(string id, string code) =>
        $$"""{"cell_type": "code", "id": "{{id}}", "metadata": {}, "execution_count": null, "outputs": [], "source": {{System.Text.Json.JsonSerializer.Serialize(code)}}}""";
}
