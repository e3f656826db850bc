package org.civicgrid.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which problems each point type tends to have (weights), how often a point of that type has problems at all,
 * and description templates per category ({@code {p}} is the point name, {@code {n}} a small count).
 */
final class ProblemProfiles {

    private static final String SERVICE = "NO_SMOKING_SIGN:3 ONE_METER_LINE:3 SERVICE_FACILITY_MISSING:2 "
            + "ACCESSIBILITY:2 NON_MOTOR_PARKING:3 PSA_SHORTAGE:1.5 WASTE_SORTING:1";
    private static final String COMPOUND = "CORRIDOR_CLUTTER:4 FLYING_WIRE_CHARGING:3 GREEN_CROPS:2 "
            + "ILLEGAL_STRUCTURE:1.5 WASTE_SORTING:2 EXPOSED_GARBAGE:2 NON_MOTOR_PARKING:2 FIRE_LANE_BLOCKED:2 "
            + "FLYERS:2 DOG_FOULING:1 PSA_SHORTAGE:1 GRAFFITI:1";
    private static final String OPEN_SPACE = "EXPOSED_GARBAGE:3 DOG_OFF_LEASH:3 DOG_FOULING:2 GREENERY_GAPS:2 "
            + "BROKEN_FACILITY:2 UNCIVIL_BEHAVIOUR:2 PSA_SHORTAGE:1 GRAFFITI:1";

    /** Point type → weighted categories. */
    private static final Map<String, String> CATEGORIES = new LinkedHashMap<>();
    /** Point type → relative number of problems per point. */
    private static final Map<String, Double> PROBLEM_RATE = new LinkedHashMap<>();

    static {
        profile("CIVILIZATION_PRACTICE", 0.4, "PSA_SHORTAGE:4 ACCESSIBILITY:1 BROKEN_FACILITY:1 NO_SMOKING_SIGN:1");
        profile("GOV_SERVICE_HALL", 0.8, SERVICE);
        profile("BANK", 0.6, SERVICE);
        profile("HOSPITAL", 1.2, SERVICE + " ILLEGAL_PARKING:2");
        profile("WINDOW_UNIT", 0.6, SERVICE);
        profile("HOTEL", 0.6, "NO_SMOKING_SIGN:3 SERVICE_FACILITY_MISSING:2 NON_MOTOR_PARKING:2 ILLEGAL_PARKING:2 "
                + "PSA_SHORTAGE:1 WASTE_SORTING:1");
        profile("MALL_SUPERMARKET", 0.8, "NO_SMOKING_SIGN:2 ONE_METER_LINE:2 NON_MOTOR_PARKING:3 STREET_VENDING:2 "
                + "EXPOSED_GARBAGE:1 WASTE_SORTING:2 ACCESSIBILITY:1");
        profile("CULTURAL_FACILITY", 0.5, "PSA_SHORTAGE:2 ACCESSIBILITY:2 NO_SMOKING_SIGN:2 BROKEN_FACILITY:1 "
                + "SERVICE_FACILITY_MISSING:1");
        profile("INTERNET_CAFE", 0.6, "NO_SMOKING_SIGN:5 FIRE_LANE_BLOCKED:1 PSA_SHORTAGE:1 NON_MOTOR_PARKING:1");
        profile("BUS_STOP", 1.0, "FLYERS:3 BROKEN_FACILITY:3 DIRTY_ROAD:2 NON_MOTOR_PARKING:2 PSA_SHORTAGE:1");
        profile("INTERSECTION", 2.5, "RED_LIGHT_WRONG_WAY:5 NON_MOTOR_PARKING:2 ILLEGAL_PARKING:2 "
                + "BROKEN_FACILITY:1 FLYERS:1 UNCIVIL_BEHAVIOUR:1");
        profile("PUBLIC_TOILET", 1.5, "TOILET_HYGIENE:5 BROKEN_FACILITY:2 ACCESSIBILITY:2 FLYERS:1");
        profile("PUBLIC_SQUARE", 2.0, OPEN_SPACE + " STREET_VENDING:2");
        profile("PARK", 2.0, OPEN_SPACE);
        profile("SCENIC_SPOT", 2.0, OPEN_SPACE + " STREET_VENDING:1 NO_SMOKING_SIGN:1");
        profile("BACK_STREET", 5.0, "CLUTTER:3 EXPOSED_GARBAGE:3 FLYERS:3 NON_MOTOR_PARKING:2 ILLEGAL_PARKING:2 "
                + "ROAD_DAMAGE:2 GRAFFITI:2 DOG_FOULING:1 ILLEGAL_STRUCTURE:1");
        profile("COMMERCIAL_STREET", 6.0, "STREET_VENDING:5 NON_MOTOR_PARKING:3 EXPOSED_GARBAGE:2 FLYERS:2 "
                + "DIRTY_ROAD:2 ILLEGAL_PARKING:2 UNCIVIL_BEHAVIOUR:1");
        profile("MAIN_ROAD", 5.0, "ILLEGAL_PARKING:4 DIRTY_ROAD:3 ROAD_DAMAGE:2 BROKEN_FACILITY:2 GREENERY_GAPS:2 "
                + "NON_MOTOR_PARKING:2 FLYERS:1 STREET_VENDING:1");
        profile("URBAN_RURAL_FRINGE", 6.0, "EXPOSED_GARBAGE:4 CLUTTER:3 ILLEGAL_STRUCTURE:3 GREEN_CROPS:2 "
                + "DIRTY_ROAD:2 ROAD_DAMAGE:1");
        profile("COMMUNITY", 1.0, "PSA_SHORTAGE:2 WASTE_SORTING:2 ACCESSIBILITY:1 NO_SMOKING_SIGN:1 "
                + "SERVICE_FACILITY_MISSING:1");
        profile("RESIDENTIAL_COMPOUND", 2.5, COMPOUND);
        profile("OLD_COMPOUND", 4.0, COMPOUND + " BROKEN_FACILITY:2 ROAD_DAMAGE:1");
        profile("NO_PROPERTY_COMPOUND", 5.0, COMPOUND + " CLUTTER:2 BROKEN_FACILITY:1");
        profile("RESETTLEMENT_COMPOUND", 3.0, COMPOUND);
        profile("FARMERS_MARKET", 8.0, "STREET_VENDING:4 EXPOSED_GARBAGE:3 MARKET_ZONING:3 NON_MOTOR_PARKING:2 "
                + "DIRTY_ROAD:2 NO_SMOKING_SIGN:1");
        profile("SCHOOL", 1.0, "ILLEGAL_PARKING:2 PSA_SHORTAGE:1 NO_SMOKING_SIGN:1 ACCESSIBILITY:1");
        profile("SCHOOL_SURROUNDINGS", 3.0, "SCHOOL_AREA_DISORDER:4 STREET_VENDING:3 ILLEGAL_PARKING:3 "
                + "NON_MOTOR_PARKING:2 FLYERS:1");
        profile("CONSTRUCTION_SITE", 4.0, "HOARDING_DAMAGE:4 SITE_DUST:4 DIRTY_ROAD:2 PSA_SHORTAGE:2 CLUTTER:1");
        profile("TOWNSHIP", 1.0, "EXPOSED_GARBAGE:2 PSA_SHORTAGE:2 ILLEGAL_PARKING:1 CLUTTER:1");
    }

    private static final Map<String, String[]> TEMPLATES = new LinkedHashMap<>();

    static {
        templates("ILLEGAL_PARKING", "{p}门前机动车乱停乱放,占用人行道", "{p}附近约{n}辆机动车违停,影响行人通行",
                "{p}路边车辆压线停放,堵塞出入口");
        templates("NON_MOTOR_PARKING", "{p}门口非机动车无序停放约{n}辆", "{p}共享单车乱停,占用盲道",
                "{p}周边电动自行车停放杂乱,未入停车区");
        templates("RED_LIGHT_WRONG_WAY", "{p}早高峰行人闯红灯现象较多", "{p}电动自行车逆行、闯红灯",
                "{p}非机动车越线停车、抢行");
        templates("FLYERS", "{p}墙面、电线杆张贴小广告{n}处", "{p}宣传栏、门洞张贴小广告未清理", "{p}设施箱体上有牛皮癣小广告");
        templates("GRAFFITI", "{p}墙面有乱涂乱画的办证电话", "{p}外立面喷涂广告{n}处未清除");
        templates("EXPOSED_GARBAGE", "{p}地面有暴露垃圾、烟头", "{p}绿化带内堆积生活垃圾", "{p}垃圾桶满溢未及时清运");
        templates("DIRTY_ROAD", "{p}路面有油污、泥浆", "{p}人行道积尘、落叶未清扫", "{p}渣土撒落路面未清理");
        templates("CLUTTER", "{p}杂物乱堆乱放,占用公共通道", "{p}废旧家具堆放路边", "{p}沿街商户杂物堆放店外");
        templates("WASTE_SORTING", "{p}垃圾未分类投放,分类桶混装", "{p}垃圾分类桶标识缺失", "{p}分类投放点周边散落垃圾");
        templates("TOILET_HYGIENE", "{p}地面湿滑、有异味", "{p}洗手液、厕纸未及时补充", "{p}蹲位堵塞未及时疏通");
        templates("CORRIDOR_CLUTTER", "{p}{n}号楼楼道堆放纸箱、旧家具", "{p}楼梯间堆放杂物,影响疏散",
                "{p}{n}单元楼道停放自行车、堆放杂物");
        templates("FLYING_WIRE_CHARGING", "{p}{n}号楼有电线从窗口拉下给电动车充电", "{p}居民私拉电线飞线充电",
                "{p}楼道内电动自行车充电");
        templates("FIRE_LANE_BLOCKED", "{p}消防通道被私家车占用", "{p}消防通道堆放杂物", "{p}消防车道地锁未拆除");
        templates("GREEN_CROPS", "{p}绿化带被毁种菜约{n}平方米", "{p}公共绿地被圈占种植蔬菜");
        templates("ILLEGAL_STRUCTURE", "{p}底楼住户私自搭建阳光房", "{p}公共区域私搭彩钢棚", "{p}屋顶违章搭建");
        templates("BROKEN_FACILITY", "{p}座椅破损", "{p}护栏倾斜、缺失{n}处", "{p}井盖松动破损", "{p}宣传栏玻璃破裂");
        templates("ROAD_DAMAGE", "{p}人行道地砖松动破损{n}处", "{p}路面坑洼积水", "{p}盲道被破坏不连续");
        templates("GREENERY_GAPS", "{p}绿化带缺株死株约{n}处", "{p}行道树树穴缺株未补种", "{p}草坪黄土裸露");
        templates("ACCESSIBILITY", "{p}入口缺少无障碍坡道", "{p}无障碍卫生间缺失", "{p}盲道被占用、缺少提示");
        templates("HOARDING_DAMAGE", "{p}围挡破损倒伏{n}处", "{p}围挡公益广告褪色、缺字", "{p}围挡污损、被贴小广告");
        templates("SITE_DUST", "{p}裸土未覆盖,扬尘明显", "{p}出入口车辆未冲洗带泥上路", "{p}雾炮喷淋未开启");
        templates("STREET_VENDING", "{p}门口流动摊贩占道经营", "{p}商户店外经营,占用人行道", "{p}早市摊点出摊占道");
        templates("MARKET_ZONING", "{p}生熟未分区,熟食摊位混在生鲜区", "{p}活禽区未隔离", "{p}摊位标识不全、秩序杂乱");
        templates("DOG_OFF_LEASH", "{p}有居民遛狗未牵绳", "{p}大型犬未牵绳、未戴嘴套");
        templates("DOG_FOULING", "{p}犬只粪便未清理", "{p}草坪内多处犬只便溺");
        templates("NO_SMOKING_SIGN", "{p}禁烟标识缺失", "{p}室内有人吸烟,禁烟标识不醒目", "{p}禁烟标识破损脱落");
        templates("ONE_METER_LINE", "{p}服务窗口一米线缺失", "{p}一米线褪色不清", "{p}等候区一米线未设置");
        templates("SERVICE_FACILITY_MISSING", "{p}缺少便民服务箱(老花镜、雨伞等)", "{p}饮水机、座椅等便民设施缺失",
                "{p}服务指引标识不全");
        templates("SCHOOL_AREA_DISORDER", "{p}放学时段家长车辆无序停放", "{p}校门口流动摊贩聚集", "{p}护学岗未到位,秩序混乱");
        templates("PSA_SHORTAGE", "{p}公益广告数量不足", "{p}公益广告陈旧褪色需更新", "{p}缺少社会主义核心价值观宣传");
        templates("UNCIVIL_BEHAVIOUR", "{p}有人随地吐痰、乱扔烟头", "{p}有人躺卧公共座椅", "{p}有人在公共场所大声喧哗");
    }

    private ProblemProfiles() {
    }

    private static void profile(String typeCode, double rate, String categories) {
        CATEGORIES.put(typeCode, categories);
        PROBLEM_RATE.put(typeCode, rate);
    }

    private static void templates(String categoryCode, String... texts) {
        TEMPLATES.put(categoryCode, texts);
    }

    static double problemRate(String typeCode) {
        Double rate = PROBLEM_RATE.get(typeCode);
        if (rate == null) {
            throw new IllegalArgumentException("no problem profile for point type " + typeCode);
        }
        return rate;
    }

    static WeightedChoice<ProblemCategory> categoriesFor(String typeCode, Vocabulary vocabulary) {
        String spec = CATEGORIES.get(typeCode);
        if (spec == null) {
            throw new IllegalArgumentException("no problem profile for point type " + typeCode);
        }
        return WeightedChoice.parse(spec, vocabulary::problemCategory);
    }

    static List<String> profiledTypes() {
        return List.copyOf(CATEGORIES.keySet());
    }

    static String describe(String categoryCode, String pointName, SplittableRandom rnd) {
        String[] texts = TEMPLATES.get(categoryCode);
        if (texts == null) {
            throw new IllegalArgumentException("no description template for " + categoryCode);
        }
        String text = texts[rnd.nextInt(texts.length)].replace("{p}", pointName);
        return text.indexOf('{') < 0 ? text : text.replace("{n}", Integer.toString(2 + rnd.nextInt(9)));
    }

    static boolean hasTemplates(String categoryCode) {
        return TEMPLATES.containsKey(categoryCode);
    }
}
