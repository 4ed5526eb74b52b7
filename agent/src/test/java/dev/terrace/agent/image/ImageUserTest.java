package dev.terrace.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageUserTest {
  @TempDir Path root;

  private void etc(String passwd, String group) throws Exception {
    Path etc = Files.createDirectories(root.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), passwd);
    Files.writeString(etc.resolve("group"), group);
  }

  @Test
  void namesAndNumbersResolveInTheImagesOwnFilesWithSupplementaryGroups() throws Exception {
    etc("root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n",
        "root:x:0:\napp:x:1001:\nstaff:x:50:other,app\nwheel:x:10:root\n");
    assertThat(ImageUser.resolve(null, root)).isEqualTo(ImageUser.ROOT);
    assertThat(ImageUser.resolve("app", root)).isEqualTo(new ImageUser.Ids(1000, 1001, List.of(50)));
    assertThat(ImageUser.resolve("1000", root)).isEqualTo(new ImageUser.Ids(1000, 1001, List.of(50)));
    assertThat(ImageUser.resolve("app:wheel", root)).isEqualTo(new ImageUser.Ids(1000, 10, List.of(50)));
    assertThat(ImageUser.resolve("4242:77", root)).isEqualTo(new ImageUser.Ids(4242, 77, List.of()));
    assertThatThrownBy(() -> ImageUser.resolve("ghost", root)).hasMessageContaining("ghost");
    assertThatThrownBy(() -> ImageUser.resolve("app:ghosts", root)).hasMessageContaining("ghosts");
  }

  @Test
  void aSymlinkedPasswdIsNotFollowed() throws Exception {
    Path etc = Files.createDirectories(root.resolve("etc"));
    Files.createSymbolicLink(etc.resolve("passwd"), Path.of("/etc/passwd"));
    assertThatThrownBy(() -> ImageUser.resolve("root", root)).hasMessageContaining("root");
  }
}
