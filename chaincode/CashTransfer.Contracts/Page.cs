namespace CashTransfer.Contracts;

/// <summary>One page of a chaincode query: its items and the bookmark of the next page (empty when there is none).</summary>
/// <typeparam name="T">The record type of the query.</typeparam>
/// <param name="Items">This page's records.</param>
/// <param name="Bookmark">Pass it to the same query for the next page; empty on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string Bookmark);
