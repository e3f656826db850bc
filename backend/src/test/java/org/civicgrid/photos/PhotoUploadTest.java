package org.civicgrid.photos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

import org.civicgrid.CivicGridIntegrationTest;
import org.civicgrid.security.TestSignIn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;

import tools.jackson.databind.ObjectMapper;

/** Uploads are judged by their content: real images are kept with a thumbnail, anything else is refused and nothing is written. */
@CivicGridIntegrationTest
class PhotoUploadTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObjectMapper json;

    private long photoRows() {
        return jdbc.sql("SELECT count(*) FROM photo").query(Long.class).single();
    }

    @Test
    void aRealJpegIsStoredWithAThumbnailAndServedToItsUploader() throws Exception {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(new java.awt.image.BufferedImage(800, 600, java.awt.image.BufferedImage.TYPE_INT_RGB), "jpg", jpeg);

        String body = mvc.perform(multipart("/api/photos").file(new MockMultipartFile("file", "anything.bin", "application/octet-stream", jpeg.toByteArray()))
                        .with(TestSignIn.as(jdbc, "inspector")).with(csrf()))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.contentType").value("image/jpeg"))
                .andExpect(jsonPath("$.width").value(800)).andReturn().getResponse().getContentAsString();
        String id = json.readTree(body).path("id").asString();

        byte[] thumbnail = mvc.perform(get("/api/photos/{id}/thumbnail", id).with(TestSignIn.as(jdbc, "inspector")))
                .andExpect(status().isOk()).andExpect(content().contentType("image/jpeg")).andReturn().getResponse().getContentAsByteArray();
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(thumbnail)).getWidth()).isEqualTo(320);
        mvc.perform(get("/api/photos/{id}", id).with(TestSignIn.as(jdbc, "leader"))).andExpect(status().isNotFound());
    }

    @Test
    void aPhoneSizedPhotoGetsAThumbnailThatShowsThePicture() throws Exception {
        java.awt.image.BufferedImage photo = new java.awt.image.BufferedImage(4000, 3000, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = photo.createGraphics();
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 2000, 3000);
        g.setColor(java.awt.Color.BLUE);
        g.fillRect(2000, 0, 2000, 3000);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(photo, "jpg", jpeg);

        String body = mvc.perform(multipart("/api/photos").file(new MockMultipartFile("file", "site.jpg", "image/jpeg", jpeg.toByteArray()))
                        .with(TestSignIn.as(jdbc, "inspector")).with(csrf()))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.width").value(4000)).andExpect(jsonPath("$.height").value(3000))
                .andReturn().getResponse().getContentAsString();
        byte[] bytes = mvc.perform(get("/api/photos/{id}/thumbnail", json.readTree(body).path("id").asString()).with(TestSignIn.as(jdbc, "inspector")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        java.awt.image.BufferedImage thumbnail = ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        assertThat(thumbnail.getWidth()).isEqualTo(320);
        assertThat(thumbnail.getHeight()).isEqualTo(240);
        java.awt.Color left = new java.awt.Color(thumbnail.getRGB(40, 120));
        java.awt.Color right = new java.awt.Color(thumbnail.getRGB(280, 120));
        assertThat(left.getRed()).isGreaterThan(200);
        assertThat(left.getBlue()).isLessThan(60);
        assertThat(right.getBlue()).isGreaterThan(200);
        assertThat(right.getRed()).isLessThan(60);
    }

    @Test
    void aTextFileNamedJpgIsRefused() throws Exception {
        long before = photoRows();

        mvc.perform(multipart("/api/photos").file(new MockMultipartFile("file", "photo.jpg", "image/jpeg",
                        "this is not an image".getBytes(StandardCharsets.UTF_8))).with(TestSignIn.as(jdbc, "inspector")).with(csrf()))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.parameter").value("file"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("not a JPEG, PNG or WebP")));

        assertThat(photoRows()).isEqualTo(before);
    }

    @Test
    void anImageClaimingHugeDimensionsIsRefusedBeforeDecoding() throws Exception {
        long before = photoRows();

        mvc.perform(multipart("/api/photos").file(new MockMultipartFile("file", "bomb.png", "image/png", pngHeader(50_000, 50_000)))
                        .with(TestSignIn.as(jdbc, "inspector")).with(csrf()))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("50000×50000")));

        assertThat(photoRows()).isEqualTo(before);
    }

    /** A PNG signature and IHDR chunk (with a correct CRC) announcing the given size, and no pixels. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4).put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
    }
}
