using Harness.Errors;
using Harness.Images;
using Harness.Tests.Support;

namespace Harness.Tests.Images;

public class ImageRecipeTests
{
    private string _dir = "";

    [SetUp]
    public void CreateRecipeDirectory()
    {
        _dir = Directory.CreateTempSubdirectory("harness-recipe-test-").FullName;
        File.WriteAllText(Path.Combine(_dir, "init"), "#!/bin/busybox sh\n");
    }

    [TearDown]
    public void RemoveRecipeDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Loads_the_checkouts_recipe_with_dropbear_sftp_and_busybox()
    {
        var recipe = ImageRecipe.Load(Checkout.Layout.VmImagesDirectory);

        Assert.That(recipe.Packages.Select(p => p.Name), Is.SupersetOf(new[] { "busybox-static", "dropbear-bin", "openssh-sftp-server", "libc6" }));
        Assert.That(recipe.Directories, Does.Contain(new ImageDirectory("root/.ssh", 0b111_000_000)));
    }

    [Test]
    public void The_init_prints_the_marker_the_console_watcher_waits_for()
    {
        var init = File.ReadAllText(ImageRecipe.Load(Checkout.Layout.VmImagesDirectory).InitFile);

        Assert.That(init, Does.Contain(Harness.Vm.ConsoleWatcher.ReadyMarker));
    }

    [TestCase("packages:\n  busybox-static: [/bin/busybox]\n", "image.yaml:2:20: 'packages.busybox-static[0]' is '/bin/busybox'. Give a path relative to the package root")]
    [TestCase("packages:\n  busybox-static: []\n", "'packages.busybox-static' lists no files")]
    [TestCase("packages: {}\n", "'packages' is empty")]
    [TestCase("packages:\n  a: [x]\ndirectories: [\"root:07x0\"]\n", "has mode '07x0', which is not octal")]
    [TestCase("packages:\n  a: [x]\nextras: []\n", "extras")]
    public void Rejects_a_bad_recipe_naming_the_place_and_the_fix(string yaml, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "image.yaml"), yaml);

        var error = Assert.Throws<BadInputException>(() => ImageRecipe.Load(_dir));

        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void Matches_wildcards_within_one_path_segment_and_keeps_symlinks()
    {
        var lib = Directory.CreateDirectory(Path.Combine(_dir, "pkg", "lib", "x86_64-linux-gnu")).FullName;
        File.WriteAllText(Path.Combine(lib, "libz.so.1.2.13"), "");
        File.CreateSymbolicLink(Path.Combine(lib, "libz.so.1"), "libz.so.1.2.13");
        File.WriteAllText(Path.Combine(lib, "libc.so.6"), "");

        var found = ImageContents.Match(Path.Combine(_dir, "pkg"), "lib/x86_64-linux-gnu/libz.so.1*", "zlib1g");

        Assert.That(found.Select(Path.GetFileName), Is.EqualTo(new[] { "libz.so.1", "libz.so.1.2.13" }));
    }

    [Test]
    public void Refuses_a_plain_path_the_package_does_not_have()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "pkg"));

        var error = Assert.Throws<InfrastructureException>(() => ImageContents.Match(Path.Combine(_dir, "pkg"), "usr/sbin/dropbear", "dropbear-bin"));

        Assert.That(error!.Message, Does.Contain("Package dropbear-bin has no 'usr/sbin/dropbear'").And.Contain("vm-images/image.yaml"));
    }

    [Test]
    public void The_image_key_changes_with_an_extra_files_contents_and_nothing_else()
    {
        var recipe = ImageRecipe.Load(Checkout.Layout.VmImagesDirectory);
        var packages = recipe.Packages.Select(p => new ResolvedPackage(p.Name, "amd64", p.Name + "_1_amd64.deb", new string('0', 64))).ToArray();
        var loader = Path.Combine(_dir, "loader");
        File.WriteAllText(loader, "v1");
        string Key() => ImageKey.Of(ImageKey.Manifest(recipe, "x86_64", "x86_64-linux-gnu", packages, [new ImageFile(loader, "/usr/bin/loader", 0b111_101_101)], gzip: true));

        var first = Key();
        var again = Key();
        File.WriteAllText(loader, "v2");
        var changed = Key();

        Assert.That(again, Is.EqualTo(first));
        Assert.That(changed, Is.Not.EqualTo(first));
    }
}
