namespace Harness.Selftests;

/// <summary>
/// The programs the guest needs from the host build, for one arch. The image builder puts
/// <see cref="LoaderPath"/> at <see cref="LoaderGuestPath"/> with <see cref="LoaderMode"/>
/// (as an ImageFile(HostPath, GuestPath, Mode)).
/// </summary>
public sealed record GuestTools(string Arch, string LoaderPath)
{
    /// <summary>Where the loader lives in the guest; the run stage calls it there.</summary>
    public const string LoaderGuestPath = "/usr/bin/harness-loader";

    /// <summary>rwxr-xr-x (0755).</summary>
    public const int LoaderMode = 0b111_101_101;

    /// <summary>The loader as the image builder takes it.</summary>
    public Images.ImageFile LoaderImageFile => new(LoaderPath, LoaderGuestPath, LoaderMode);
}
