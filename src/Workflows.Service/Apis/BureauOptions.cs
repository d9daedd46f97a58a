namespace Workflows.Service.Apis;

/// <summary>
/// The bureau as citizens see it on public pages (section <c>Workflows:Bureau</c>): the 公示 page names where objections
/// are received besides the online route. The defaults are placeholders that say which setting to fill in.
/// </summary>
public sealed class BureauOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Workflows:Bureau";

    /// <summary>The bureau's name (e.g. the district's science and technology bureau).</summary>
    /// <value>Defaults to a placeholder naming the setting.</value>
    public string Name { get; set; } = "【待配置】主管部门名称（设置 Workflows:Bureau:Name）";

    /// <summary>Where objections are received: phone, email and postal address, as one line of text.</summary>
    /// <value>Defaults to a placeholder naming the setting.</value>
    public string ObjectionContact { get; set; } = "【待配置】异议受理电话、电子邮箱和地址（设置 Workflows:Bureau:ObjectionContact）";
}
