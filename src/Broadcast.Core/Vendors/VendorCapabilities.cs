namespace Broadcast.Core.Vendors;

/// <summary>What a vendor can send and report, so nothing outside its folder asks "which vendor is this?".</summary>
/// <param name="Templates">Sends pre-approved WhatsApp templates.</param>
/// <param name="Text">Sends free text.</param>
/// <param name="Events">Triggers a named event (a flow on the vendor's side).</param>
/// <param name="Groups">Sends to a group id (is_group).</param>
/// <param name="Bulk">Has a native call for many recipients (<see cref="IVendorClient.BulkSize"/> per call).</param>
/// <param name="StatusCallbacks">Reports delivered/read/failed by its message id or number, so every sent message is
/// indexed for the callback to find it.</param>
/// <param name="TemplateVariables">Whether its templates take variables by position, by name, or either.</param>
/// <param name="MaxTemplateVariables">The most variables a template takes; null: no limit of the vendor's own.</param>
/// <param name="CsvLayout">The vendor's own CSV layout (the template its dashboard hands out), kept in its folder:
/// uploads recognise and read files in it. Null: the vendor has none.</param>
public sealed record VendorCapabilities(bool Templates, bool Text, bool Events, bool Groups, bool Bulk, bool StatusCallbacks,
    VariableStyle TemplateVariables = VariableStyle.Any, int? MaxTemplateVariables = null, Uploads.CsvLayout? CsvLayout = null);
